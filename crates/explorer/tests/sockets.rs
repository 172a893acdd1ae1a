//! Sockets under the explorer: the virtual network's kernel state (the
//! sockets, their buffers and backlogs) orders the threads' steps, and
//! the searches must find every outcome those orders give: which of two
//! writers' bytes arrive first, whether a non-blocking read comes before
//! or after the data, which client a blocking server serves first, and
//! the deadlock of two peers that both wait to read.

mod common;

use common::*;

/// Two threads send on the same connection: the reader sees the bytes
/// in either order, never mixed within one `send` of a byte.
const TWO_WRITERS: &str = "\
import socket, threading
a, b = socket.socketpair()
def write(x):
    a.sendall(x)
ts = [threading.Thread(target=write, args=(x,)) for x in (b'x', b'y')]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(b.recv(2).decode())
";

/// The same through the kernel's calls alone, so that the two sends
/// are the only steps that order the writers (each a write of the
/// network, which two of must not commute).
const TWO_RAW_WRITERS: &str = "\
import _socket as k, threading
a, b = k._socketpair()
def write(x):
    k._send(a, x, None)
ts = [threading.Thread(target=write, args=(x,)) for x in (b'x', b'y')]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(k._recv(b, 2, None).decode())
";

/// A non-blocking read races with the write it hopes to see.
const NONBLOCKING_READ: &str = "\
import socket, threading
a, b = socket.socketpair()
b.setblocking(False)
t = threading.Thread(target=a.sendall, args=(b'hi',))
t.start()
try:
    print(b.recv(10).decode())
except BlockingIOError as e:
    print('would block', e.errno)
t.join()
";

/// Both ends wait to read first.
const BOTH_READ_FIRST: &str = "\
import socket, threading
a, b = socket.socketpair()
def other():
    b.recv(10)
    b.sendall(b'pong')
t = threading.Thread(target=other)
t.start()
a.recv(10)
a.sendall(b'ping')
t.join()
";

/// One client per thread, and a server that takes one connection at a
/// time: the order of the connections is the order of service. (Through
/// the kernel's calls, as `TWO_RAW_WRITERS`: with `socket.py`'s Python
/// code around each call the search of a debug build takes a minute.)
const SERVE_ORDER: &str = "\
import _socket as k, threading
ls = k._open()
k._bind(ls, ('127.0.0.1', 50001))
k._listen(ls, 8)
def client(name):
    c = k._open()
    k._connect(c, ('127.0.0.1', 50001), None)
    k._send(c, name, None)
ts = [threading.Thread(target=client, args=(n,)) for n in (b'a', b'b')]
for t in ts:
    t.start()
order = []
for _ in range(2):
    conn, _ = k._accept(ls, None)
    order.append(k._recv(conn, 1, None).decode())
for t in ts:
    t.join()
print(''.join(order))
";

#[test]
fn two_writers_on_one_connection_arrive_in_either_order() {
    for r in every_search(TWO_WRITERS).into_iter().chain(every_search(TWO_RAW_WRITERS)) {
        assert!(r.complete, "{}", r.reduction);
        assert_eq!(finished_stdouts(&r), set(&["xy", "yx"]), "{}", r.reduction);
    }
}

#[test]
fn a_nonblocking_read_sees_the_data_or_would_block() {
    for r in every_search(NONBLOCKING_READ) {
        assert!(r.complete, "{}", r.reduction);
        assert_eq!(finished_stdouts(&r), set(&["hi", "would block 11"]), "{}", r.reduction);
    }
    check_replays(NONBLOCKING_READ, &exhaustive(), &run(NONBLOCKING_READ, &exhaustive()));
}

#[test]
fn two_peers_that_both_read_first_always_deadlock() {
    let r = run(BOTH_READ_FIRST, &exhaustive());
    assert!(r.complete);
    assert!(!r.outcomes.is_empty() && r.outcomes.iter().all(|o| o.kind == "deadlock"), "{:?}", r.outcomes);
    check_replays(BOTH_READ_FIRST, &exhaustive(), &r);
    assert!(r.deadlocks[0].report.contains("socket"), "{}", r.deadlocks[0].report);
    // Once one side sends first, no schedule deadlocks.
    let fixed = BOTH_READ_FIRST.replace("a.recv(10)\na.sendall(b'ping')", "a.sendall(b'ping')\na.recv(10)");
    let r = run(&fixed, &exhaustive());
    assert!(r.complete);
    assert!(r.deadlocks.is_empty() && finished_stdouts(&r) == set(&[""]), "{:?}", r.outcomes);
}

#[test]
fn a_blocking_server_serves_clients_in_the_order_they_connect() {
    // (The state graph alone: every call of the kernel's writes the
    // network, so the tree searches reduce little and run past their
    // budget of executions.)
    let r = run(SERVE_ORDER, &exhaustive());
    assert!(r.complete, "{}", r.reduction);
    check_replays(SERVE_ORDER, &exhaustive(), &r);
    assert_eq!(finished_stdouts(&r), set(&["ab", "ba"]));
}

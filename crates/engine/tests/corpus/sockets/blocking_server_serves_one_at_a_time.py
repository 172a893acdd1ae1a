# interleave: deterministic
# A server with one thread and blocking sockets serves one client at a
# time: while it sits in recv() for client A, nobody calls accept() for
# client B. B's connect() still succeeds (the kernel completes it and
# queues it in the listen backlog) and B's bytes wait in a buffer, but
# B's reply only comes once A has left. Events force the order here:
# A leaves only when the main thread says so.
import socket
import threading
import time

ADDR = ("127.0.0.1", 50103)
log = []
a_answered = threading.Event()
a_may_leave = threading.Event()
b_sent = threading.Event()
b_answered = threading.Event()

def server(listener):
    for _ in range(2):
        conn, addr = listener.accept()
        with conn:
            while True:
                data = conn.recv(1024)
                if not data:
                    break
                log.append("served " + data.decode())
                conn.sendall(data.upper())
        log.append("closed")

def client_a():
    with socket.create_connection(ADDR) as s:
        s.sendall(b"a")
        print("A got", s.recv(1024))
        a_answered.set()
        a_may_leave.wait()

def client_b():
    with socket.create_connection(ADDR) as s:
        s.sendall(b"b")
        b_sent.set()
        print("B got", s.recv(1024))
        b_answered.set()

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(ADDR)
listener.listen()
threads = [threading.Thread(target=server, args=(listener,)),
           threading.Thread(target=client_a), threading.Thread(target=client_b)]
threads[0].start()
threads[1].start()
a_answered.wait()
threads[2].start()
b_sent.wait()
time.sleep(0.1)
print("B connected and sent; has B an answer yet?", b_answered.is_set())
print("main: A may leave now")
a_may_leave.set()
for t in threads:
    t.join()
listener.close()
print("server log:", log)

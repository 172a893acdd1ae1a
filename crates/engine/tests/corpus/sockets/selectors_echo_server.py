# interleave: deterministic
# The selectors module wraps select/poll/epoll in one interface:
# register(fileobj, events, data) a socket with what to wait for
# (EVENT_READ, EVENT_WRITE), and select() returns (key, events) pairs for
# the ready ones. As in the Python docs' example, key.data holds the
# function to call; here a connection waits to be readable, then to be
# writable while a reply is pending (modify() switches between the two).
import selectors
import socket
import threading

ADDR = ("127.0.0.1", 50106)
NAMES = ["ann", "bob"]
pending = {}
stats = {"accepted": 0, "open": 0}
replies = []

def accept(listener, sel):
    conn, addr = listener.accept()
    conn.setblocking(False)
    sel.register(conn, selectors.EVENT_READ, read)
    stats["accepted"] += 1
    stats["open"] += 1

def read(conn, sel):
    data = conn.recv(1024)
    if data:
        pending[conn] = data.upper()
        sel.modify(conn, selectors.EVENT_WRITE, write)
    else:
        sel.unregister(conn)
        conn.close()
        stats["open"] -= 1

def write(conn, sel):
    conn.send(pending.pop(conn))
    sel.modify(conn, selectors.EVENT_READ, read)

def serve(listener):
    with selectors.DefaultSelector() as sel:
        sel.register(listener, selectors.EVENT_READ, accept)
        key = sel.get_key(listener)
        print("listener registered for reading:", key.fileobj is listener, key.events == selectors.EVENT_READ)
        while stats["accepted"] < len(NAMES) or stats["open"] > 0:
            for key, events in sel.select():
                callback = key.data
                callback(key.fileobj, sel)
        sel.unregister(listener)

def client(name):
    with socket.create_connection(ADDR) as s:
        for word in ["hi", "bye"]:
            s.sendall((word + " from " + name).encode())
            replies.append(s.recv(1024).decode())

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(ADDR)
listener.listen()
listener.setblocking(False)
server = threading.Thread(target=serve, args=(listener,))
server.start()
clients = [threading.Thread(target=client, args=(n,)) for n in NAMES]
for t in clients:
    t.start()
for t in clients:
    t.join()
server.join()
listener.close()
print("served", stats["accepted"], "connections; replies:", sorted(replies))

# interleave: deterministic
# A blocking server can talk to several clients at once if it gives each
# connection its own thread: the listening thread only accepts, and a
# handler thread per connection does the recv()/sendall() loop. While one
# handler waits in recv(), the others go on. Which client is served first
# depends on timing, so the clients store their replies and the main
# thread prints them sorted, after joining everyone.
import socket
import threading

ADDR = ("127.0.0.1", 50102)
replies = {}
served = []
lock = threading.Lock()

def handle(conn):
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            with lock:
                served.append(data.decode())
            conn.sendall(b"hello, " + data)

def serve(listener, count):
    handlers = []
    for _ in range(count):
        conn, addr = listener.accept()
        t = threading.Thread(target=handle, args=(conn,))
        t.start()
        handlers.append(t)
    for t in handlers:
        t.join()

def client(name):
    with socket.create_connection(ADDR) as s:
        s.sendall(name.encode())
        replies[name] = s.recv(1024).decode()

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(ADDR)
listener.listen()
server = threading.Thread(target=serve, args=(listener, 3))
server.start()
clients = [threading.Thread(target=client, args=(n,)) for n in ["ann", "bob", "cy"]]
for t in clients:
    t.start()
for t in clients:
    t.join()
server.join()
listener.close()
for name in sorted(replies):
    print(name, "->", replies[name])
print("the handlers received", len(served), "names:", sorted(served))

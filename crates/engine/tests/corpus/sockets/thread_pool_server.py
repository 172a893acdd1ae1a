# interleave: deterministic
# A thread per connection costs a thread per client, without a bound: a
# thousand clients make a thousand threads. A pool bounds the cost: the
# accepting loop hands each connection to a ThreadPoolExecutor of two
# workers, so at most two clients are served at once and the others wait,
# connected, in the pool's queue. The handlers count how many run at the
# same moment (one or two, as the clients happen to come), never more.
import socket
import threading
from concurrent.futures import ThreadPoolExecutor

ADDR = ("127.0.0.1", 50112)
lock = threading.Lock()
running = 0
most = 0

def handle(conn):
    global running, most
    with lock:
        running += 1
        most = max(most, running)
    with conn:
        data = conn.recv(1024)
        conn.sendall(data.upper())
    with lock:
        running -= 1

def serve(listener, clients):
    with ThreadPoolExecutor(max_workers=2) as pool:
        for _ in range(clients):
            conn, addr = listener.accept()
            pool.submit(handle, conn)

replies = []
def client(name):
    with socket.create_connection(ADDR) as s:
        s.sendall(name.encode())
        replies.append(s.recv(1024).decode())

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(ADDR)
listener.listen()
names = ["ann", "bob", "cy", "dee", "eve", "fay"]
server = threading.Thread(target=serve, args=(listener, len(names)))
server.start()
clients = [threading.Thread(target=client, args=(n,)) for n in names]
for t in clients:
    t.start()
for t in clients:
    t.join()
server.join()
listener.close()
print("replies:", sorted(replies))
print("never more than the pool's 2 workers at once:", 1 <= most <= 2)

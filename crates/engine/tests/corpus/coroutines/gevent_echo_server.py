# interleave: deterministic needs=gevent
# A gevent echo server: StreamServer accepts in a greenlet and runs
# handle() in a new greenlet for every connection. After
# monkey.patch_all() a greenlet whose recv() would block switches to the
# hub, which waits for all the sockets at once, so one thread serves
# thirty clients, many of them at the same time. (The clients here are
# threads; gevent's patch_all() would make them greenlets too, the
# playground keeps them threads.)
from gevent import monkey
monkey.patch_all()
import socket
import threading
from gevent.server import StreamServer

ADDR = ("127.0.0.1", 50122)
open_now = 0
most_at_once = 0

def handle(conn, address):
    global open_now, most_at_once
    open_now += 1
    most_at_once = max(most_at_once, open_now)
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data.upper())
    open_now -= 1

server = StreamServer(ADDR, handle)
print("serving on", server.address)
threading.Thread(target=server.serve_forever, daemon=True).start()

replies = []
def client(i):
    with socket.create_connection(ADDR) as s:
        s.sendall(("hello " + str(i)).encode())
        replies.append(s.recv(1024).decode())

clients = [threading.Thread(target=client, args=(i,)) for i in range(30)]
for t in clients:
    t.start()
for t in clients:
    t.join()
print(len(replies), "replies, all upper case:", all(r == r.upper() for r in replies))
print("served several connections at once:", most_at_once > 1)

# interleave: deterministic needs=gevent
# Server and clients as greenlets of one thread: every socket call that
# would block (accept, connect, recv) switches to the hub, and the hub
# switches back to whichever greenlet's socket its poll finds ready. No
# thread ever blocks, and the five conversations interleave.
from gevent import monkey
monkey.patch_all()
import socket
import gevent
from gevent.server import StreamServer

def handle(conn, address):
    while True:
        data = conn.recv(1024)
        if not data:
            break
        conn.sendall(data.upper())

server = StreamServer(("127.0.0.1", 50123), handle)
server.start()
print("serving on", server.address)

def client(i):
    with socket.create_connection(("127.0.0.1", 50123)) as s:
        s.sendall(("hello " + str(i)).encode())
        return s.recv(1024).decode()

clients = [gevent.spawn(client, i) for i in range(5)]
gevent.joinall(clients)
print([g.value for g in clients])
server.stop()
print("stopped:", server.closed)

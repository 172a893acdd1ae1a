# interleave: deterministic
# A non-blocking socket never waits: when accept() or recv() would have
# to wait, it raises BlockingIOError (errno 11, EAGAIN) at once, and the
# program is free to do something else and try again later. A timeout is
# in between: with settimeout(0.1) a call waits at most 0.1 seconds and
# then raises TimeoutError (which socket.timeout is another name for).
import socket
import time

ADDR = ("127.0.0.1", 50104)

def retry(call):
    # Try again until the call no longer says "would block".
    while True:
        try:
            return call()
        except BlockingIOError:
            time.sleep(0.01)

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(ADDR)
listener.listen()
listener.setblocking(False)
print("blocking?", listener.getblocking(), "timeout:", listener.gettimeout())
try:
    listener.accept()
except BlockingIOError as e:
    print("accept with nobody connecting:", type(e).__name__, e.errno)

client = socket.create_connection(ADDR)
conn, addr = retry(listener.accept)
print("accepted a connection from", addr[0])
# The new socket does not inherit the listener's mode: it starts blocking.
print("accepted socket blocking?", conn.getblocking())
conn.setblocking(False)
try:
    conn.recv(1024)
except BlockingIOError as e:
    print("recv with no data yet:", type(e).__name__, e.errno)

client.sendall(b"finally")
print("recv after the client sent:", retry(lambda: conn.recv(1024)))

conn.settimeout(0.1)
print("blocking?", conn.getblocking(), "timeout:", conn.gettimeout())
try:
    conn.recv(1024)
except socket.timeout as e:
    print("recv with a timeout:", type(e).__name__, e)

client.close()
print("recv after the client closed:", conn.recv(1024))
conn.close()
listener.close()

# interleave: deterministic
# What happens at the end of a connection. When the peer closes, recv()
# returns b'' (end of stream). Sending to a closed peer succeeds once (the
# bytes only go into our kernel's buffer); the peer's kernel answers with
# a reset, and the next send() raises BrokenPipeError. A peer that closes
# while unread bytes sit in its buffer resets the connection at once, and
# our recv() raises ConnectionResetError. Connecting where nobody listens
# is refused (connect_ex returns the errno instead of raising), and a
# port that is already bound cannot be bound again.
import socket
import time

ADDR = ("127.0.0.1", 50108)

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(ADDR)
listener.listen()

# 1. The peer closes: end of stream, then a broken pipe.
client = socket.create_connection(ADDR)
conn, addr = listener.accept()
conn.close()
print("recv after the peer closed:", client.recv(1024))
print("first send after that: sent", client.send(b"hello"), "bytes")
time.sleep(0.05)  # time for the peer's reset to come back
try:
    client.send(b"again")
except BrokenPipeError as e:
    print("second send:", type(e).__name__, e.errno, e)
client.close()

# 2. The peer closes without reading all we sent: a reset.
client = socket.create_connection(ADDR)
conn, addr = listener.accept()
client.sendall(b"never read")
print("the peer reads only", conn.recv(5), "and closes")
conn.close()
try:
    client.recv(1024)
except ConnectionResetError as e:
    print("recv after a reset:", type(e).__name__, e.errno, e)
client.close()

# 3. Nobody listens on this port.
with socket.socket() as s:
    print("connect_ex where nobody listens:", s.connect_ex(("127.0.0.1", 50119)))

# 4. The port is taken by our listener.
with socket.socket() as s:
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        s.bind(ADDR)
    except OSError as e:
        print("binding a port in use:", type(e).__name__, e.errno, e)
listener.close()

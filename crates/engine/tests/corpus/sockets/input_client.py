# interleave: deterministic
# An interactive client, as the socket tutorials write it: read a line
# the user types, send it, print the server's reply, until "quit". The
# lines come from the Input box under the editor (standard input): edit
# them and run again. An empty line is skipped (sending b'' would send
# nothing, and the client would wait for a reply forever), and the end
# of the input (EOFError) ends the client as "quit" does.
# The server gives each connection a thread of its own, so the client
# is served as soon as it connects, and makes each message upper case.
import socket
import threading

ADDR = ("127.0.0.1", 50102)

def handle(conn):
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            conn.sendall(data.upper())

def serve(listener):
    while True:
        conn, addr = listener.accept()
        threading.Thread(target=handle, args=(conn,)).start()

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(ADDR)
listener.listen(5)
threading.Thread(target=serve, args=(listener,), daemon=True).start()

client = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
client.connect(ADDR)
while True:
    try:
        msg = input(">>: ").strip()
    except EOFError:
        print("(end of input)")
        break
    if not msg:
        continue
    if msg == "quit":
        break
    client.sendall(msg.encode())
    reply = client.recv(1024)
    # What was typed does not show in the output (as when the input is a
    # file, not a terminal): the client repeats it.
    print(repr(msg), "->", repr(reply.decode()))
client.close()
print("client: bye")

# interleave: deterministic
# The simplest network server: blocking sockets and one client. The server
# binds an address, listens, and accept() waits until a client connects;
# it then gives a new socket for that one connection. recv() waits until
# some bytes arrive and returns b'' only when the other side has closed
# its sending half: that is how the server knows the client is done.
# Each reply must arrive before the client prints it, and the client
# waits for each reply before sending the next message, so the lines
# below always come in the same order.
import socket
import threading

ADDR = ("127.0.0.1", 50101)

def serve(listener):
    conn, addr = listener.accept()
    with conn:
        while True:
            data = conn.recv(1024)
            if not data:
                break
            print("server: got", data)
            conn.sendall(data.upper())
        print("server: client closed")

listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(ADDR)
listener.listen()
print("listening on", listener.getsockname())
server = threading.Thread(target=serve, args=(listener,))
server.start()

client = socket.create_connection(ADDR)
print("client: connected to", client.getpeername())
for msg in ["hello", "echo", "bye"]:
    client.sendall(msg.encode())
    reply = client.recv(1024)
    print("client: sent", msg, "and got back", reply.decode())
# "I will send nothing more": the server's recv() now returns b''.
client.shutdown(socket.SHUT_WR)
print("client: after the server closed, recv gives", client.recv(1024))
client.close()
server.join()
listener.close()

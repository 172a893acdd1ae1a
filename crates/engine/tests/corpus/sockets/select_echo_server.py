# interleave: deterministic
# select.select() lets one thread serve many connections: it waits until
# at least one of the given sockets is ready and returns the ready ones.
# A listening socket is "readable" when a connection waits to be
# accepted; a connection is readable when bytes (or the end of the
# stream, b'') have arrived. So recv() and accept() on the sockets that
# select() returned do not block. Clients run at their own pace, so the
# server and clients collect what happened and print it sorted at the end.
import select
import socket
import threading

ADDR = ("127.0.0.1", 50105)
NAMES = ["ann", "bob", "cy"]
received = []
replies = []

def serve(listener):
    inputs = [listener]
    accepted = 0
    while accepted < len(NAMES) or len(inputs) > 1:
        readable, writable, errored = select.select(inputs, [], [])
        for s in readable:
            if s is listener:
                conn, addr = listener.accept()
                inputs.append(conn)
                accepted += 1
            else:
                data = s.recv(1024)
                if data:
                    received.append(data.decode())
                    s.sendall(data.upper())
                else:
                    inputs.remove(s)
                    s.close()
    print("server: served", accepted, "connections, now none is open")

def client(name):
    with socket.create_connection(ADDR) as s:
        for word in ["hi", "bye"]:
            s.sendall((word + " from " + name).encode())
            replies.append(s.recv(1024).decode())

listener = socket.socket()
listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
listener.bind(ADDR)
listener.listen()
server = threading.Thread(target=serve, args=(listener,))
server.start()
clients = [threading.Thread(target=client, args=(n,)) for n in NAMES]
for t in clients:
    t.start()
for t in clients:
    t.join()
server.join()
listener.close()
print("server received:", sorted(received))
print("clients got:", sorted(replies))

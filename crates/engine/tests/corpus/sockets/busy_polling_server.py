# interleave: racy seeds=20
# Non-blocking IO without select: the server keeps a list of connections
# and asks each one again and again whether it has data, catching
# BlockingIOError when it has none. It never waits, so it burns the CPU
# while nothing happens: count the calls that found nothing (they vary
# from run to run, and dwarf the calls that did something).
import socket
import threading

ADDR = ("127.0.0.1", 50113)
NAMES = ["ann", "bob", "cy"]

def serve(listener):
    listener.setblocking(False)
    conns = []
    served = wasted = 0
    while served < len(NAMES):
        try:
            conn, addr = listener.accept()
            conn.setblocking(False)
            conns.append(conn)
        except BlockingIOError:
            wasted += 1
        for conn in list(conns):
            try:
                data = conn.recv(1024)
            except BlockingIOError:
                wasted += 1
                continue
            if data:
                conn.sendall(data.upper())
            else:
                conns.remove(conn)
                conn.close()
                served += 1
    print("served", served, "clients; calls that found nothing:", wasted)

def client(name):
    with socket.create_connection(ADDR) as s:
        s.sendall(name.encode())
        s.recv(1024)

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

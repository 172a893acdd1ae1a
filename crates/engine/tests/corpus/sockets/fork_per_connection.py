# interleave: deterministic
# The classic Unix server: the parent accepts connections and forks a
# child per connection. The child inherits the sockets: it closes its
# copy of the listener, serves its client and exits; the parent closes
# its copy of the connection (the connection stays open in the child)
# and goes back to accept(). Here the client is a forked process too; it
# connects twice, one after the other. Each process flushes its output
# before a fork and before it lets another process go on.
import os
import socket

ADDR = ("127.0.0.1", 50111)

def handle(conn, number):
    while True:
        data = conn.recv(1024)
        if not data:
            break
        print("handler", number, "got", data, flush=True)
        conn.sendall(data.upper())
    conn.close()

def client():
    for word in ["first", "second"]:
        with socket.create_connection(ADDR) as s:
            s.sendall(word.encode())
            print("client got", s.recv(1024).decode(), flush=True)

if __name__ == "__main__":
    listener = socket.socket()
    listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    listener.bind(ADDR)
    listener.listen()
    print("parent: listening on", listener.getsockname(), flush=True)
    children = [os.fork()]
    if children[0] == 0:
        listener.close()
        client()
        os._exit(0)
    for number in [1, 2]:
        conn, addr = listener.accept()
        print("parent: accepted connection", number, flush=True)
        pid = os.fork()
        if pid == 0:
            listener.close()
            handle(conn, number)
            os._exit(0)
        conn.close()
        children.append(pid)
    listener.close()
    codes = []
    for pid in children:
        got, status = os.waitpid(pid, 0)
        codes.append(os.WEXITSTATUS(status))
    print("parent: reaped", len(codes), "children, exit codes", codes)

# interleave: deterministic
# A pipe ends when every write end is closed: recv() then raises EOFError
# once everything sent has been read. A fork copies the ends, as it copies
# every descriptor, so the parent must close its copy of the child's end
# too, or its own recv() would wait for ever (its copy could still
# write). A send() to a pipe whose read ends are all closed raises
# BrokenPipeError.
from multiprocessing import Process, Pipe

def last_words(conn):
    conn.send("last words")

def producer(conn, n):
    for i in range(n):
        conn.send(i * i)
    conn.close()

if __name__ == "__main__":
    receiver, sender = Pipe(duplex=False)
    p = Process(target=producer, args=(sender, 4))
    p.start()
    sender.close()          # the parent's copy of the write end
    got = []
    while True:
        try:
            got.append(receiver.recv())
        except EOFError:
            print("EOFError after", got)
            break
    p.join()
    print("poll() at the end:", receiver.poll())

    a, b = Pipe()
    b.close()
    try:
        a.send("hello?")
    except BrokenPipeError as e:
        print("send to a closed pipe:", type(e).__name__, e.errno)
    a.close()
    try:
        a.recv()
    except OSError as e:
        print("recv on a closed connection:", e)

    # The child's end closes when the child exits, even without close().
    receiver, sender = Pipe(duplex=False)
    p = Process(target=last_words, args=(sender,))
    p.start()
    sender.close()
    print(receiver.recv())
    p.join()
    try:
        receiver.recv()
    except EOFError:
        print("EOFError once the child has exited")

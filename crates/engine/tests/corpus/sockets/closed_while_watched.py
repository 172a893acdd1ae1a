# interleave: deterministic
# A socket closed while a poller still watches it: poll() reports POLLNVAL
# ("not a valid descriptor") for it, while an epoll set drops it by itself,
# and so does a selector (an epoll one on Linux), which then only reports
# the sockets that are still open. Unregister before closing all the same:
# a descriptor number is reused by the next socket.
import select
import selectors
import socket

a, b = socket.socketpair()
c, d = socket.socketpair()
fd = a.fileno()

p = select.poll()
p.register(a, select.POLLIN)
e = select.epoll()
e.register(a.fileno(), select.EPOLLIN)
sel = selectors.DefaultSelector()
sel.register(a, selectors.EVENT_READ, "a")
sel.register(c, selectors.EVENT_READ, "c")

a.close()
d.send(b"for c")
print("poll:", p.poll(0) == [(fd, select.POLLNVAL)])
print("epoll:", e.poll(0))
print("selector:", [key.data for key, events in sel.select(0)])
print("c got", c.recv(10))
for s in (b, c, d):
    s.close()
e.close()
sel.close()

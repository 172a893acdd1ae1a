# interleave: deterministic
# select.poll() and select.epoll() are the other ways to wait on many
# sockets: register each socket once with the events it cares about
# (IN: something to read, OUT: room to write), then poll() returns a list
# of (fd, events) for the ready ones, [] when none is ready within the
# timeout (milliseconds for poll, seconds for epoll). When the other end
# is closed, the reader sees IN and HUP together, and recv() returns b''.
# socketpair() gives two sockets already connected to each other.
import select
import socket

a, b = socket.socketpair()

p = select.poll()
p.register(a, select.POLLIN)
print("poll, nothing sent yet:", p.poll(50))
b.sendall(b"ping")
print("poll after b sent: a is readable:", p.poll(50) == [(a.fileno(), select.POLLIN)])
p.modify(a, select.POLLIN | select.POLLOUT)
print("asking for OUT too: readable and writable:", p.poll(0) == [(a.fileno(), select.POLLIN | select.POLLOUT)])
print("a reads", a.recv(1024))
p.modify(a, select.POLLIN)
print("poll once read:", p.poll(0))

ep = select.epoll()
ep.register(a.fileno(), select.EPOLLIN)
print("epoll, nothing sent yet:", ep.poll(0.05))
b.sendall(b"pong")
print("epoll after b sent: a is readable:", ep.poll(0.05) == [(a.fileno(), select.EPOLLIN)])
print("a reads", a.recv(1024))

b.close()
print("after b closed, poll says IN|HUP:", p.poll(0) == [(a.fileno(), select.POLLIN | select.POLLHUP)])
print("after b closed, epoll says IN|HUP:", ep.poll(0) == [(a.fileno(), select.EPOLLIN | select.EPOLLHUP)])
print("a reads", a.recv(1024))
p.unregister(a)
ep.unregister(a.fileno())
ep.close()
a.close()

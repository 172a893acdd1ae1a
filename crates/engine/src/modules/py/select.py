# select on the virtual network, after CPython 3.11's select module:
# select(), poll() and epoll() over sockets (and anything whose fileno()
# names one). All three ask the kernel the same question (`_socket._poll`:
# which of these descriptors are ready?) and differ in their interface,
# as they do on Linux: select() takes and returns lists of objects,
# poll() registers descriptors with an event mask and takes a timeout in
# milliseconds, epoll() keeps its registrations in the kernel and takes
# seconds. A call with nothing ready waits until one of its sockets
# changes, or its timeout passes.
#
# Not there: edge-triggered epoll (EPOLLET is accepted and behaves as
# level-triggered), select() on files or pipes.

import _socket as _k

error = OSError

POLLIN = 1
POLLPRI = 2
POLLOUT = 4
POLLERR = 8
POLLHUP = 16
POLLNVAL = 32
POLLRDNORM = 64
POLLRDBAND = 128
POLLWRNORM = 256
POLLWRBAND = 512
POLLMSG = 1024
POLLRDHUP = 8192

EPOLLIN = 1
EPOLLPRI = 2
EPOLLOUT = 4
EPOLLERR = 8
EPOLLHUP = 16
EPOLLRDNORM = 64
EPOLLRDBAND = 128
EPOLLWRNORM = 256
EPOLLWRBAND = 512
EPOLLMSG = 1024
EPOLLRDHUP = 8192
EPOLLEXCLUSIVE = 1 << 28
EPOLLONESHOT = 1 << 30
EPOLLET = 1 << 31


def _fileno(obj):
    if isinstance(obj, int):
        fd = obj
    elif hasattr(obj, "fileno"):
        fd = obj.fileno()
        if not isinstance(fd, int):
            raise TypeError("fileno() returned a non-integer")
    else:
        raise TypeError("argument must be an int, or have a fileno() method.")
    if fd < 0:
        raise ValueError("file descriptor cannot be a negative integer (%d)" % fd)
    return fd


def _seconds(timeout, scale, what):
    # None or a negative number: wait for ever.
    if timeout is None:
        return None
    if not isinstance(timeout, (int, float)):
        raise TypeError("%s must be a number or None" % what)
    if timeout < 0:
        return None
    return timeout / scale


def select(rlist, wlist, xlist, timeout=None):
    if timeout is not None:
        if not isinstance(timeout, (int, float)):
            raise TypeError("timeout must be a float or None")
        if timeout < 0:
            raise ValueError("timeout must be non-negative")
    rlist, wlist, xlist = list(rlist), list(wlist), list(xlist)
    masks = {}
    for obj in rlist:
        fd = _fileno(obj)
        masks[fd] = masks.get(fd, 0) | POLLIN
    for obj in wlist:
        fd = _fileno(obj)
        masks[fd] = masks.get(fd, 0) | POLLOUT
    for obj in xlist:
        fd = _fileno(obj)
        masks[fd] = masks.get(fd, 0)
    ready = dict(_k._poll(list(masks.items()), timeout, 'select'))
    r = [obj for obj in rlist if ready.get(_fileno(obj), 0) & (POLLIN | POLLHUP | POLLERR)]
    w = [obj for obj in wlist if ready.get(_fileno(obj), 0) & (POLLOUT | POLLERR)]
    return r, w, []


class poll:
    def __init__(self):
        self._fds = {}

    def register(self, fd, eventmask=POLLIN | POLLPRI | POLLOUT):
        self._fds[_fileno(fd)] = eventmask

    def modify(self, fd, eventmask):
        fd = _fileno(fd)
        if fd not in self._fds:
            raise FileNotFoundError(2, "No such file or directory")
        self._fds[fd] = eventmask

    def unregister(self, fd):
        fd = _fileno(fd)
        if fd not in self._fds:
            raise KeyError(fd)
        del self._fds[fd]

    def poll(self, timeout=None):
        return _k._poll(list(self._fds.items()), _seconds(timeout, 1000, "timeout"), 'poll')


class epoll:
    def __init__(self, sizehint=-1, flags=0):
        self._fds = {}
        self._closed = False

    def _check(self):
        if self._closed:
            raise ValueError("I/O operation on closed epoll object")

    @property
    def closed(self):
        return self._closed

    def close(self):
        self._closed = True

    def fileno(self):
        self._check()
        return -1

    def __enter__(self):
        self._check()
        return self

    def __exit__(self, *args):
        self.close()

    def register(self, fd, eventmask=EPOLLIN | EPOLLPRI | EPOLLOUT):
        self._check()
        fd = _fileno(fd)
        if fd in self._fds:
            raise FileExistsError(17, "File exists")
        self._fds[fd] = eventmask

    def modify(self, fd, eventmask):
        self._check()
        fd = _fileno(fd)
        if fd not in self._fds:
            raise FileNotFoundError(2, "No such file or directory")
        self._fds[fd] = eventmask

    def unregister(self, fd):
        self._check()
        fd = _fileno(fd)
        if fd not in self._fds:
            raise FileNotFoundError(2, "No such file or directory")
        del self._fds[fd]

    def poll(self, timeout=None, maxevents=-1):
        self._check()
        # (A closed descriptor leaves an epoll set by itself.)
        events = _k._poll(list(self._fds.items()), _seconds(timeout, 1, "timeout"), 'epoll')
        if maxevents > 0:
            events = events[:maxevents]
        return events

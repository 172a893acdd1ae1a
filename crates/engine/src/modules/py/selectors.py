# selectors on the virtual network, after CPython 3.11's selectors module:
# a selector keeps, for each registered file object (a socket), the events
# it waits for (EVENT_READ, EVENT_WRITE) and a piece of data of the
# program's own (often the callback to run); select() returns the keys
# that are ready with the events they are ready for. DefaultSelector is
# EpollSelector, as on Linux; SelectSelector and PollSelector are there
# too, all over the same kernel question (see select.py).

from collections import namedtuple
import select as _select
import _socket as _k

EVENT_READ = 1
EVENT_WRITE = 2

SelectorKey = namedtuple("SelectorKey", ["fileobj", "fd", "events", "data"])


def _fileobj_to_fd(fileobj):
    if isinstance(fileobj, int):
        fd = fileobj
    else:
        try:
            fd = int(fileobj.fileno())
        except (AttributeError, TypeError, ValueError):
            raise ValueError("Invalid file object: {!r}".format(fileobj)) from None
    if fd < 0:
        raise ValueError("Invalid file descriptor: {}".format(fd))
    return fd


class BaseSelector:
    # The poll bits each kind of selector asks the kernel for.
    _READ = _select.POLLIN
    _WRITE = _select.POLLOUT

    def __init__(self):
        self._fd_to_key = {}
        self._closed = False

    def _fd(self, fileobj):
        try:
            return _fileobj_to_fd(fileobj)
        except ValueError:
            # A closed socket (fileno() -1) is still found by its object.
            for key in self._fd_to_key.values():
                if key.fileobj is fileobj:
                    return key.fd
            raise

    def register(self, fileobj, events, data=None):
        if (not events) or (events & ~(EVENT_READ | EVENT_WRITE)):
            raise ValueError("Invalid events: {!r}".format(events))
        key = SelectorKey(fileobj, self._fd(fileobj), events, data)
        if key.fd in self._fd_to_key:
            raise KeyError("{!r} (FD {}) is already registered".format(fileobj, key.fd))
        self._fd_to_key[key.fd] = key
        return key

    def unregister(self, fileobj):
        try:
            return self._fd_to_key.pop(self._fd(fileobj))
        except KeyError:
            raise KeyError("{!r} is not registered".format(fileobj)) from None

    def modify(self, fileobj, events, data=None):
        try:
            key = self._fd_to_key[self._fd(fileobj)]
        except KeyError:
            raise KeyError("{!r} is not registered".format(fileobj)) from None
        if events != key.events:
            self.unregister(fileobj)
            key = self.register(fileobj, events, data)
        elif data != key.data:
            key = key._replace(data=data)
            self._fd_to_key[key.fd] = key
        return key

    def select(self, timeout=None):
        if self._closed:
            raise ValueError("I/O operation on closed epoll object")
        pairs = []
        for fd, key in self._fd_to_key.items():
            mask = 0
            if key.events & EVENT_READ:
                mask |= self._READ
            if key.events & EVENT_WRITE:
                mask |= self._WRITE
            pairs.append((fd, mask))
        if timeout is not None and timeout < 0:
            timeout = 0
        ready = []
        for fd, revents in _k._poll(pairs, timeout, 'epoll'):
            key = self._fd_to_key.get(fd)
            if key is None:
                continue
            events = 0
            if revents & (_select.POLLIN | _select.POLLHUP | _select.POLLERR):
                events |= EVENT_READ
            if revents & (_select.POLLOUT | _select.POLLERR):
                events |= EVENT_WRITE
            events &= key.events
            if events:
                ready.append((key, events))
        return ready

    def close(self):
        self._fd_to_key.clear()
        self._closed = True

    def get_key(self, fileobj):
        try:
            return self._fd_to_key[self._fd(fileobj)]
        except KeyError:
            raise KeyError("{!r} is not registered".format(fileobj)) from None

    def get_map(self):
        return dict(self._fd_to_key)

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()


class SelectSelector(BaseSelector):
    pass


class PollSelector(BaseSelector):
    pass


class EpollSelector(BaseSelector):
    def fileno(self):
        return -1


DefaultSelector = EpollSelector

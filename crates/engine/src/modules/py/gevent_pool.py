# gevent.pool: Group (a set of greenlets to join or kill together) and
# Pool (a Group that runs at most `size` greenlets at once: spawn() waits
# in the hub while the pool is full). map() returns the results in the
# order of its arguments, imap_unordered() as the greenlets finish.

from gevent import Greenlet, joinall, killall, GreenletExit
from gevent.lock import Semaphore
from gevent.queue import Queue

__all__ = ['Group', 'Pool']


class Group:
    greenlet_class = Greenlet

    def __init__(self, *args):
        self.greenlets = []
        for g in (args[0] if len(args) == 1 and not isinstance(args[0], Greenlet) else args):
            self.add(g)

    def __repr__(self):
        return '<%s at %#x %s>' % (type(self).__name__, id(self), self.greenlets)

    def __len__(self):
        return len(self.greenlets)

    def __contains__(self, g):
        return g in self.greenlets

    def __iter__(self):
        return iter(list(self.greenlets))

    def add(self, greenlet):
        if greenlet not in self.greenlets:
            self.greenlets.append(greenlet)
            greenlet.rawlink(self._discard)

    def _discard(self, greenlet):
        if greenlet in self.greenlets:
            self.greenlets.remove(greenlet)

    def discard(self, greenlet):
        self._discard(greenlet)
        greenlet.unlink(self._discard)

    def start(self, greenlet):
        self.add(greenlet)
        greenlet.start()

    def spawn(self, *args, **kwargs):
        greenlet = self.greenlet_class(*args, **kwargs)
        self.start(greenlet)
        return greenlet

    def join(self, timeout=None, raise_error=False):
        while self.greenlets:
            done = joinall(list(self.greenlets), timeout=timeout, raise_error=raise_error)
            if timeout is not None:
                return not self.greenlets
            if not done:
                break
        return True

    def kill(self, exception=GreenletExit, block=True, timeout=None):
        killall(list(self.greenlets), exception, block, timeout)

    def killone(self, greenlet, exception=GreenletExit, block=True, timeout=None):
        if greenlet in self.greenlets:
            greenlet.kill(exception, block, timeout)

    def full(self):
        return False

    def wait_available(self, timeout=None):
        pass

    def apply(self, func, args=None, kwds=None):
        return self.spawn(func, *(args or ()), **(kwds or {})).get()

    def apply_async(self, func, args=None, kwds=None, callback=None):
        greenlet = self.spawn(func, *(args or ()), **(kwds or {}))
        if callback is not None:
            greenlet.link(lambda g: g.successful() and callback(g.value))
        return greenlet

    def map(self, func, iterable):
        return [g.get() for g in [self.spawn(func, item) for item in iterable]]

    def map_async(self, func, iterable, callback=None):
        return self.spawn(lambda: self.map(func, iterable) if callback is None else callback(self.map(func, iterable)))

    def imap(self, func, *iterables):
        greenlets = [self.spawn(func, *args) for args in zip(*iterables)]
        for g in greenlets:
            yield g.get()

    def imap_unordered(self, func, *iterables):
        done = Queue()
        count = 0
        for args in zip(*iterables):
            self.spawn(func, *args).rawlink(done.put)
            count += 1
        for _ in range(count):
            yield done.get().get()


class Pool(Group):
    def __init__(self, size=None, greenlet_class=None):
        if size is not None and size < 0:
            raise ValueError('size must not be negative: %r' % (size,))
        super().__init__()
        self.size = size
        if greenlet_class is not None:
            self.greenlet_class = greenlet_class
        self._slots = Semaphore(size) if size else None

    def free_count(self):
        if self.size is None:
            return 1
        return max(0, self.size - len(self))

    def full(self):
        return self.free_count() <= 0

    def wait_available(self, timeout=None):
        if self._slots is not None:
            if self._slots.wait(timeout) <= 0:
                return 0
        return self.free_count()

    def start(self, greenlet):
        if self._slots is not None:
            self._slots.acquire()
            greenlet.rawlink(lambda g: self._slots.release())
        super().start(greenlet)

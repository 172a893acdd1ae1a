# gevent.lock: Semaphore, BoundedSemaphore and RLock for greenlets. A
# release() wakes one waiter in the hub's next callbacks; the waiter takes
# the semaphore then, if it is still free.

from gevent import _notify, _wait_until
from greenlet import getcurrent

__all__ = ['Semaphore', 'BoundedSemaphore', 'RLock', 'DummySemaphore']


class Semaphore:
    def __init__(self, value=1):
        if value < 0:
            raise ValueError('semaphore initial value must be >= 0')
        self.counter = value
        self._waiters = []

    def __repr__(self):
        return '<%s counter=%s _links[%s]>' % (type(self).__name__, self.counter, len(self._waiters))

    def locked(self):
        return self.counter <= 0

    def ready(self):
        return self.counter > 0

    def acquire(self, blocking=True, timeout=None):
        if not _wait_until(self._waiters, lambda: self.counter > 0, timeout, blocking):
            return False
        self.counter -= 1
        return True

    def release(self):
        self.counter += 1
        if self._waiters:
            _notify(self._waiters)
        return self.counter

    def wait(self, timeout=None):
        _wait_until(self._waiters, lambda: self.counter > 0, timeout)
        return self.counter

    def __enter__(self):
        self.acquire()

    def __exit__(self, *exc):
        self.release()


class BoundedSemaphore(Semaphore):
    def __init__(self, value=1):
        super().__init__(value)
        self._initial_value = value

    def release(self):
        if self.counter >= self._initial_value:
            raise ValueError('Semaphore released too many times')
        return super().release()


class DummySemaphore:
    def __init__(self, value=None):
        self.counter = 1

    def locked(self):
        return False

    def acquire(self, *args, **kwargs):
        return True

    def release(self):
        pass

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        pass


class RLock:
    def __init__(self):
        self._block = Semaphore(1)
        self._owner = None
        self._count = 0

    def acquire(self, blocking=True, timeout=None):
        me = getcurrent()
        if self._owner is me:
            self._count += 1
            return True
        if not self._block.acquire(blocking, timeout):
            return False
        self._owner = me
        self._count = 1
        return True

    def release(self):
        if self._owner is not getcurrent():
            raise RuntimeError('cannot release un-acquired lock')
        self._count -= 1
        if not self._count:
            self._owner = None
            self._block.release()

    def locked(self):
        return self._block.locked()

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()

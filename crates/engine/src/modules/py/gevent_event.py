# gevent.event: Event (a flag greenlets wait for) and AsyncResult (a value,
# or an exception, that greenlets wait for). set() wakes every waiter in
# the hub's next callbacks: the setter goes on first, as in gevent.

from gevent import _notify, _wait_until, Timeout

__all__ = ['Event', 'AsyncResult']


class Event:
    def __init__(self):
        self._flag = False
        self._waiters = []

    def __repr__(self):
        return '<%s %s _links[%s]>' % (type(self).__name__, 'set' if self._flag else 'clear', len(self._waiters))

    def is_set(self):
        return self._flag

    isSet = is_set
    ready = is_set

    def set(self):
        self._flag = True
        _notify(self._waiters, None)

    def clear(self):
        self._flag = False

    def wait(self, timeout=None):
        return _wait_until(self._waiters, lambda: self._flag, timeout)


class AsyncResult:
    def __init__(self):
        self._done = False
        self.value = None
        self._exception = None
        self._waiters = []

    @property
    def exception(self):
        return self._exception

    def ready(self):
        return self._done

    def successful(self):
        return self._done and self._exception is None

    def set(self, value=None):
        self.value = value
        self._exception = None
        self._done = True
        _notify(self._waiters, None)

    def set_exception(self, exception, exc_info=None):
        self._exception = exception
        self._done = True
        _notify(self._waiters, None)

    def wait(self, timeout=None):
        _wait_until(self._waiters, lambda: self._done, timeout)
        return self.value

    def get(self, block=True, timeout=None):
        if not self._done:
            if not block:
                raise Timeout()
            self.wait(timeout)
            if not self._done:
                raise Timeout(timeout)
        if self._exception is not None:
            raise self._exception
        return self.value

    def get_nowait(self):
        return self.get(block=False)

    # A Greenlet's link can set an AsyncResult: result.set(g.value).
    def __call__(self, source):
        if source.successful():
            self.set(source.value)
        else:
            self.set_exception(source.exception)

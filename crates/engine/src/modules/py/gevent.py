# gevent: greenlets scheduled by a hub, for the programs tutorials write:
# spawn, spawn_later, join, joinall, sleep, kill, getcurrent, wait, the
# Greenlet class (also subclassed with _run), and monkey.patch_all(),
# which makes time.sleep() cooperative.
#
# The hub is a greenlet (greenlet.py) that runs gevent's loop: callbacks
# first, in the order they were scheduled (spawn() schedules the new
# greenlet's start), then the timers that are due, by priority and then
# by deadline (a cancelled one never runs, even once due); when only timers are left it sleeps until the first one, on
# the engine's virtual clock. A greenlet that waits (sleep, join) switches
# to the hub, and the hub switches back when what it waits for happened.
# When the hub has nothing left to do, the greenlet waiting on it gets
# LoopExit ("This operation would block forever"), as in gevent.
#
# Sockets (gevent.socket, gevent.server.StreamServer, and patch_all()
# making the socket module's sockets cooperative): a greenlet whose socket
# call would block registers the socket with the hub and switches to it;
# when the hub has no callbacks left it waits, in one poll of the kernel,
# for its timers and every registered socket at once, and switches back
# to the greenlets whose sockets are ready. That one poll is the event
# loop of every asynchronous server (epoll in libev's). A thread that is
# not a greenlet of the hub's (a client thread of the program, say) still
# blocks in its socket calls and sleeps, as an unpatched thread does.
#
# gevent.queue, gevent.event, gevent.lock and gevent.pool (gevent_queue.py
# and the others) wait in the hub through _park() below.
#
# Left out: patching select, and patching threading (after patch_all(),
# gevent also turns threads into greenlets; here threads stay threads).

import time as _time
import sys as _sys
import _socket as _k
import heapq as _heapq
from collections import deque as _deque
from greenlet import greenlet as _greenlet, getcurrent, GreenletExit

_real_sleep = _time.sleep

__version__ = '23.9.1'


class LoopExit(Exception):
    pass


class _Hub(_greenlet):
    def __init__(self):
        super().__init__(parent=getcurrent())
        self._callbacks = _deque()
        self._timers = []
        # Greenlets waiting on sockets: [fd, poll mask, callback], the
        # callback None once the wait was given up.
        self._io = []
        self._seq = 0
        # The loop's time, read once per turn of the loop: timers count
        # from it, as libev's do from ev_now(), not from the moment each
        # is made. (So no greenlet reads the clock: a read in the moment
        # between a switch and the switcher's wait would give each order
        # of the two a different time, and the explorer a different state.)
        self._now = _time.monotonic()

    def _lane(self):
        return 'Hub'

    # Every entry of the hub's (a callback, a timer, a socket wait) is a
    # list that ends with its function and its arguments, and _cancel()
    # cancels any of them, even one already due and waiting among the
    # callbacks: a due timer or a ready socket joins the callbacks as
    # itself, not as a copy.

    def callback(self, fn, *args):
        entry = [fn, args]
        self._callbacks.append(entry)
        return entry

    def timer(self, seconds, fn, *args, priority=0):
        # Of the timers due in one turn, those of a higher priority run
        # first, as libev's (a Timeout's is -1, so a sleep due at the same
        # turn wakes first).
        self._seq += 1
        entry = [self._now + seconds, self._seq, priority, fn, args]
        _heapq.heappush(self._timers, entry)
        return entry

    def io(self, fd, mask, fn):
        entry = [fd, mask, fn, ()]
        self._io.append(entry)
        return entry

    def run(self):
        while True:
            while self._callbacks:
                entry = self._callbacks.popleft()
                if entry[-2] is not None:
                    entry[-2](*entry[-1])
            while self._timers and self._timers[0][-2] is None:
                _heapq.heappop(self._timers)
            self._io = [e for e in self._io if e[-2] is not None]
            if not self._timers and not self._io:
                self.parent.throw(LoopExit('This operation would block forever'))
                continue
            wait = None
            if self._timers:
                wait = max(0, self._timers[0][0] - _time.monotonic())
            if self._io:
                # The loop's one wait: for the first timer, or for any of
                # the sockets, whichever comes first.
                ready = dict(_k._poll([(e[0], e[1]) for e in self._io], wait, 'poll'))
                keep = []
                for entry in self._io:
                    if ready.get(entry[0], 0) & (entry[1] | 8 | 16 | 32):
                        self._callbacks.append(entry)
                    else:
                        keep.append(entry)
                self._io = keep
            elif wait > 0:
                _real_sleep(wait)
            self._now = now = _time.monotonic()
            due = []
            while self._timers and self._timers[0][0] <= now:
                entry = _heapq.heappop(self._timers)
                if entry[-2] is not None:
                    due.append(entry)
            # (A stable sort: by deadline within a priority.)
            due.sort(key=lambda e: -e[2])
            self._callbacks.extend(due)


def _cancel(entry):
    # Cancels an entry of the hub's (see _Hub): it will not run.
    entry[-2] = None


# One hub for the program. (gevent has one per OS thread; every greenlet
# here is an engine thread of its own, so one per engine thread would give
# each greenlet a hub of its own.)
_hub = [None]


def get_hub():
    hub = _hub[0]
    if hub is None or hub.dead:
        hub = _hub[0] = _Hub()
    return hub


def _in_hub(cur):
    # Whether greenlet `cur` runs under the hub (a greenlet it started, or
    # the greenlet that made the hub), and so may wait by switching to it.
    hub = _hub[0]
    if hub is None or hub.dead:
        return True
    g = cur
    while g is not None:
        if g is hub or g is hub.parent:
            return True
        g = g.parent
    return False


def _wait_io(fd, mask, timeout=None):
    # Waits, in the hub, until socket `fd` is ready for `mask` (poll bits);
    # TimeoutError ("timed out") after `timeout` seconds.
    hub = get_hub()
    cur = getcurrent()
    if cur is hub:
        raise AssertionError('Impossible to call blocking function in the event loop callback')
    woken = []
    entry = hub.io(fd, mask, lambda: woken.append(True) or cur.switch())
    timer = hub.timer(timeout, cur.switch) if timeout is not None else None
    try:
        hub.switch()
    finally:
        _cancel(entry)
        if timer is not None:
            _cancel(timer)
    if not woken:
        raise TimeoutError('timed out')


def sleep(seconds=0, ref=True):
    cur = getcurrent()
    if not _in_hub(cur):
        # A thread of its own, not a greenlet of the hub's: it sleeps.
        _real_sleep(seconds)
        return
    hub = get_hub()
    if cur is hub:
        raise AssertionError('Impossible to call blocking function in the event loop callback')
    if seconds <= 0:
        entry = hub.callback(cur.switch)
    else:
        entry = hub.timer(seconds, cur.switch)
    try:
        hub.switch()
    finally:
        # Woken otherwise (killed, say): the wake-up must not fire later.
        _cancel(entry)


def idle(priority=0):
    sleep(0)


class _Wake:
    # One wait of a greenlet in the hub (see _park): the first wake-up
    # switches it back, with True (notified) or False (its timeout); any
    # later one does nothing.
    def __init__(self, g):
        self.g = g
        self.live = True

    def __call__(self, value=True):
        if self.live:
            self.live = False
            self.g.switch(value)


def _park(waiters, timeout=None):
    # Waits in the hub until _notify(waiters) picks this wait (True) or
    # `timeout` seconds pass (False). The queues, events, semaphores and
    # pools of gevent.queue, gevent.event, gevent.lock and gevent.pool
    # wait this way; a notification is a hint, and each of them checks
    # its condition again after it (another greenlet may have been
    # quicker).
    hub = get_hub()
    cur = getcurrent()
    if cur is hub:
        raise AssertionError('Impossible to call blocking function in the event loop callback')
    wake = _Wake(cur)
    waiters.append(wake)
    timer = hub.timer(timeout, wake, False) if timeout is not None else None
    try:
        return hub.switch()
    finally:
        wake.live = False
        if wake in waiters:
            waiters.remove(wake)
        if timer is not None:
            _cancel(timer)


def _notify(waiters, n=1):
    # Wakes the first `n` waits of `waiters` (None: all) in the hub's next
    # callbacks, in the order they began: the notifier goes on first.
    hub = get_hub()
    while waiters and n != 0:
        hub.callback(waiters.pop(0))
        if n is not None:
            n -= 1


def _wait_until(waiters, ready, timeout=None, block=True):
    # Waits on `waiters` (see _park) until `ready()` holds, for at most
    # `timeout` seconds, or not at all without `block`: whether it holds.
    hub = get_hub()
    deadline = None if timeout is None else hub._now + timeout
    while not ready():
        left = None if deadline is None else max(0, deadline - hub._now)
        if not block or not _park(waiters, left):
            return ready()
    return True


class _None:
    pass


_NONE = _None()


def _call_repr(fn, args, kwargs):
    name = getattr(fn, '__name__', None) or repr(fn)
    if not args and not kwargs:
        return name
    parts = [repr(a) for a in args] + ['%s=%r' % kv for kv in kwargs.items()]
    return '%s(%s)' % (name, ', '.join(parts))


class Greenlet(_greenlet):
    def __init__(self, run=None, *args, **kwargs):
        super().__init__(parent=get_hub())
        if run is not None:
            self._run = run
        self.args = args
        self.kwargs = kwargs
        self.value = None
        self._exception = _NONE
        self._links = []
        self._start_event = None

    def __repr__(self):
        run = getattr(self, '_run', None)
        if run is None:
            return '<%s at %#x>' % (type(self).__name__, id(self))
        return '<%s at %#x: %s>' % (type(self).__name__, id(self), _call_repr(run, self.args, self.kwargs))

    def _lane(self):
        # The function it runs, or a subclass's own name when it overrides
        # _run.
        name = getattr(getattr(self, '_run', None), '__name__', None)
        if name in (None, '_run'):
            name = type(self).__name__
        return 'Greenlet (%s)' % name

    @property
    def exception(self):
        return None if self._exception is _NONE else self._exception

    @property
    def started(self):
        return self._start_event is not None or bool(self)

    def ready(self):
        return self.dead or self._exception is not _NONE

    def successful(self):
        return self._exception is None

    def start(self):
        if self._start_event is None:
            self._start_event = self.parent.callback(self.switch)

    def start_later(self, seconds):
        if self._start_event is None:
            self._start_event = self.parent.timer(seconds, self.switch)

    @classmethod
    def spawn(cls, *args, **kwargs):
        g = cls(*args, **kwargs)
        g.start()
        return g

    @classmethod
    def spawn_later(cls, seconds, *args, **kwargs):
        g = cls(*args, **kwargs)
        g.start_later(seconds)
        return g

    def run(self):
        if self._start_event is not None:
            self._start_event = True
        try:
            result = self._run(*self.args, **self.kwargs)
        except GreenletExit as e:
            self._report(None, e)
            return
        except BaseException as e:
            self._report(e, None)
            import traceback
            traceback.print_exception(e)
            print('%s failed with %s\n' % (self, type(e).__name__), file=_sys.stderr)
            return
        self._report(None, result)

    def _report(self, exception, value):
        self._exception = exception
        self.value = value
        for link in self._links:
            self.parent.callback(link, self)
        self._links = []

    def rawlink(self, callback):
        if self.ready():
            self.parent.callback(callback, self)
        else:
            self._links.append(callback)

    link = rawlink

    def link_value(self, callback):
        # Called only if the greenlet returns (not if it raises).
        self.rawlink(lambda g: callback(g) if g.successful() else None)

    def link_exception(self, callback):
        # Called only if the greenlet raises.
        self.rawlink(lambda g: None if g.successful() else callback(g))

    def unlink(self, callback):
        self._links = [cb for cb in self._links if cb != callback]

    def join(self, timeout=None):
        if self.ready():
            return
        if self._start_event is None and not self:
            # Never started: nothing to wait for (as gevent).
            return
        cur = getcurrent()
        hub = self.parent
        switch = cur.switch
        self.rawlink(switch)
        timer = hub.timer(timeout, switch, None) if timeout is not None else None
        try:
            hub.switch()
        finally:
            self.unlink(switch)
            if timer is not None:
                _cancel(timer)

    def get(self, block=True, timeout=None):
        if not self.ready():
            if not block:
                raise Timeout()
            self.join(timeout)
            if not self.ready():
                raise Timeout(timeout)
        if self._exception:
            raise self._exception
        return self.value

    def kill(self, exception=GreenletExit, block=True, timeout=None):
        if self.ready():
            return
        if not self:
            # Not started yet: it never will.
            if isinstance(self._start_event, list):
                _cancel(self._start_event)
            self._start_event = True
            self.dead = True
            exc = exception() if isinstance(exception, type) else exception
            self._report(None, exc)
            return
        self.parent.callback(self.throw, exception)
        if block:
            self.join(timeout)


class Timeout(BaseException):
    # A timer in the hub that raises in the greenlet that started it,
    # wherever that greenlet waits: itself, or `exception` if given; with
    # False, a `with` block it ends is left quietly.
    def __init__(self, seconds=None, exception=None, ref=True, priority=-1):
        super().__init__(seconds)
        self.seconds = seconds
        self.exception = exception
        self.priority = priority
        self._timer = None

    def __str__(self):
        if self.seconds is None:
            return ''
        return '%s second%s' % (self.seconds, '' if self.seconds == 1 else 's')

    @property
    def pending(self):
        return self._timer is not None and self._timer[-2] is not None

    def start(self):
        if self.pending:
            raise AssertionError('%r is already started; to restart it, cancel it first' % (self,))
        if self.seconds is None:
            return
        exc = self if self.exception in (None, False) else self.exception
        self._timer = get_hub().timer(self.seconds, getcurrent().throw, exc, priority=self.priority)

    @classmethod
    def start_new(cls, timeout=None, exception=None, ref=True):
        if isinstance(timeout, Timeout):
            if not timeout.pending:
                timeout.start()
            return timeout
        t = cls(timeout, exception)
        t.start()
        return t

    def cancel(self):
        if self._timer is not None:
            _cancel(self._timer)
            self._timer = None

    close = cancel

    def __enter__(self):
        if not self.pending:
            self.start()
        return self

    def __exit__(self, typ, value, tb):
        self.cancel()
        if value is self and self.exception is False:
            return True


def with_timeout(seconds, function, *args, **kwds):
    timeout_value = kwds.pop('timeout_value', _NONE)
    timeout = Timeout.start_new(seconds)
    try:
        return function(*args, **kwds)
    except Timeout as ex:
        if ex is timeout and timeout_value is not _NONE:
            return timeout_value
        raise
    finally:
        timeout.cancel()


def spawn(function, *args, **kwargs):
    return Greenlet.spawn(function, *args, **kwargs)


def spawn_later(seconds, function, *args, **kwargs):
    return Greenlet.spawn_later(seconds, function, *args, **kwargs)


def joinall(greenlets, timeout=None, raise_error=False, count=None):
    greenlets = list(greenlets)
    deadline = None if timeout is None else get_hub()._now + timeout
    done = []
    for g in greenlets:
        left = None if deadline is None else max(0, deadline - get_hub()._now)
        g.join(left)
        if not g.ready():
            break
        done.append(g)
        if raise_error and g.exception is not None:
            raise g.exception
        if count is not None and len(done) >= count:
            break
    return done


def iwait(objects, timeout=None, count=None):
    # Yields the greenlets of `objects` as they finish, first finished
    # first; stops after `count` of them or `timeout` seconds.
    objects = list(objects)
    count = len(objects) if count is None else min(count, len(objects))
    done = []
    waiters = []

    def finished(g):
        done.append(g)
        _notify(waiters)

    for g in objects:
        g.rawlink(finished)
    try:
        hub = get_hub()
        deadline = None if timeout is None else hub._now + timeout
        for _ in range(count):
            left = None if deadline is None else max(0, deadline - hub._now)
            if not _wait_until(waiters, lambda: done, left):
                return
            yield done.pop(0)
    finally:
        for g in objects:
            g.unlink(finished)


def killall(greenlets, exception=GreenletExit, block=True, timeout=None):
    for g in list(greenlets):
        g.kill(exception, block=False)
    if block:
        joinall(greenlets, timeout)


def wait(objects=None, timeout=None, count=None):
    if objects is not None:
        return joinall(objects, timeout=timeout, count=count)
    hub = get_hub()
    try:
        if timeout is not None:
            hub.timer(timeout, getcurrent().switch)
        hub.switch()
    except LoopExit:
        return True
    return False


def kill(greenlet, exception=GreenletExit):
    greenlet.kill(exception, block=False)


def _patch_all(**kwargs):
    if kwargs.get('time', True):
        _time.sleep = sleep
    if kwargs.get('socket', True):
        _patch_socket()


def _patch_socket():
    import socket as _socket_module
    from gevent import socket as _gsocket
    _socket_module.socket = _gsocket.socket
    _socket_module.SocketType = _gsocket.socket
    _socket_module.socketpair = _gsocket.socketpair


class _Monkey:
    # gevent.monkey, for `from gevent import monkey` (the module
    # gevent.monkey, for `from gevent.monkey import patch_all`, calls the
    # same functions).
    @staticmethod
    def patch_time():
        _time.sleep = sleep

    @staticmethod
    def patch_all(**kwargs):
        _patch_all(**kwargs)

    @staticmethod
    def patch_socket(*args, **kwargs):
        _patch_socket()

    @staticmethod
    def patch_thread(*args, **kwargs):
        pass

    @staticmethod
    def is_module_patched(name):
        if name == 'socket':
            import socket as _socket_module
            return getattr(_socket_module.socket, '_gevent', False)
        return name == 'time' and _time.sleep is sleep


monkey = _Monkey()

# greenlet: coroutines that switch explicitly, with a stack of their own.
#
# A greenlet can pause anywhere in its call stack (inside functions it
# called), where an async def coroutine can only pause at its own await.
# The engine's virtual threads already have stacks of their own, so each
# greenlet here is a daemon thread of the engine, and a baton makes sure
# that only one of them runs at a time: switch() hands the baton to the
# target and waits until some greenlet hands it back. No switch happens
# anywhere else, so a program of greenlets has one outcome, as in
# CPython, and the timeline shows which greenlet runs when. The hand-over
# and the wait are one op (threading._baton_pass), so that no step comes
# between them where both greenlets could run: the explorer tried both
# orders at every switch when they were two. (A condition, whose wait
# releases its lock as it blocks, measured ten times the states: the
# woken greenlet tries the lock at every step of the switcher until it
# waits.)
#
# As in the real module: a greenlet starts at its first switch(), with
# the switch's arguments; switch() returns what the next switch() into
# this greenlet passes (one value as it is, several as a tuple, none as
# ()); when run() returns, its value goes to the parent (the greenlet
# that created it, by default), and an exception goes there too, raised
# at the parent's switch(). throw() raises in the target greenlet.
# Greenlets still suspended when the program ends are dropped, as the
# real ones are, without running their finally blocks.

import threading as _threading


class error(Exception):
    pass


class GreenletExit(BaseException):
    pass


# The greenlet running on each engine thread (the main greenlet of a
# thread is made on its first getcurrent()).
_current = {}
_making_main = [False]


def getcurrent():
    ident = _threading.get_ident()
    g = _current.get(ident)
    if g is None:
        _making_main[0] = True
        try:
            g = greenlet()
        finally:
            _making_main[0] = False
        _current[ident] = g
    return g


def _unpack(args, kwargs):
    if kwargs:
        return (args, kwargs) if args else kwargs
    if len(args) == 1:
        return args[0]
    return args


class greenlet:
    def __init__(self, run=None, parent=None):
        self.dead = False
        self._baton = _threading.Semaphore(0)
        self._message = None
        self._main = _making_main[0]
        if self._main:
            self.parent = None
            self._started = True
            return
        if run is not None:
            self.run = run
        self.parent = parent if parent is not None else getcurrent()
        self._started = False

    def __bool__(self):
        return self._started and not self.dead

    def __repr__(self):
        if self.dead:
            state = ['dead']
        else:
            state = ['current'] if self is getcurrent() else []
            state += ['active', 'started'] if self._started else ['pending']
            state += ['main'] if self._main else []
        return '<%s.%s object at %#x (otid=%#x) %s>' % (type(self).__module__, type(self).__qualname__, id(self), id(self._baton), ' '.join(state))

    def run(self):
        pass

    def _lane(self):
        # The name of the engine thread that runs this greenlet (a lane of
        # the page's timeline; threading.current_thread() inside it, where
        # real greenlets all share their thread's).
        return 'greenlet (%s)' % getattr(self.run, '__name__', 'run')

    def switch(self, *args, **kwargs):
        return _switch(self, ('switch', args, kwargs))

    def throw(self, typ=GreenletExit, val=None, tb=None):
        if isinstance(typ, type):
            exc = typ() if val is None else (val if isinstance(val, typ) else typ(val))
        else:
            exc = typ
        if not self._started:
            # Thrown into before it started: it dies at once, and the
            # exception goes to its parent, as in CPython.
            self._started = True
            self.dead = True
            return _switch(_alive(self.parent), ('throw', exc, None))
        return _switch(self, ('throw', exc, None))

    @property
    def gr_frame(self):
        return None


def _alive(g):
    while g.dead:
        g = g.parent
    return g


def _switch(target, message):
    me = getcurrent()
    target = _alive(target)
    if target is me:
        kind, args, kwargs = message
        if kind == 'throw':
            raise args
        return _unpack(args, kwargs)
    target._message = message
    if not target._started:
        target._started = True
        t = _threading.Thread(target=_body, args=(target,), daemon=True, name=target._lane())
        t.start()
    # Give the baton to the target and wait for it to come back, in one
    # op (see threading._baton_pass).
    _threading._baton_pass(target._baton, me._baton)
    kind, args, kwargs = me._message
    me._message = None
    if kind == 'throw':
        raise args
    return _unpack(args, kwargs)


def _body(g):
    _current[_threading.get_ident()] = g
    g._baton.acquire()
    kind, args, kwargs = g._message
    g._message = None
    try:
        if kind == 'throw':
            raise args
        message = ('switch', (g.run(*args, **kwargs),), {})
    except GreenletExit as e:
        message = ('switch', (e,), {})
    except BaseException as e:
        message = ('throw', e, None)
    g.dead = True
    parent = _alive(g.parent)
    parent._message = message
    parent._baton.release()

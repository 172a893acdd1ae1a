# Helpers the builtins hand generators to. Consuming a generator from Rust
# would have to run it to completion atomically, and a generator may block
# (on a queue, a lock, a future); written in Python, these run as ordinary
# frames that the scheduler can preempt and park.

def _list(it):
    out = []
    for x in it:
        out.append(x)
    return out

def _tuple(it):
    return tuple(_list(it))

def _set(it):
    return set(_list(it))

def _frozenset(it):
    return frozenset(_list(it))

def _dict(it):
    return dict(_list(it))

def _sorted(it, key=None, reverse=False):
    return sorted(_list(it), key=key, reverse=reverse)

def _sum(it, start=0):
    for x in it:
        start = start + x
    return start

def _any(it):
    for x in it:
        if x:
            return True
    return False

def _all(it):
    for x in it:
        if not x:
            return False
    return True

def _min(it, *args, **kwargs):
    return min(_list(it), *args, **kwargs)

def _max(it, *args, **kwargs):
    return max(_list(it), *args, **kwargs)

def _join(sep, it):
    return sep.join(_list(it))

def _enumerate(it, start=0):
    n = start
    for x in it:
        yield (n, x)
        n += 1

def _zip(*its):
    if not its:
        return
    iters = [iter(i) for i in its]
    while True:
        items = []
        for i in iters:
            try:
                items.append(next(i))
            except StopIteration:
                return
        yield tuple(items)

def _map(f, *its):
    for args in _zip(*its):
        yield f(*args)

def _filter(f, it):
    for x in it:
        if (x if f is None else f(x)):
            yield x

class _ExceptHookArgs:
    # What threading.excepthook is called with (CPython's
    # _thread._ExceptHookArgs): a thread's uncaught exception and the
    # thread.
    def __init__(self, exc_type, exc_value, exc_traceback, thread):
        self.exc_type = exc_type
        self.exc_value = exc_value
        self.exc_traceback = exc_traceback
        self.thread = thread

    def __iter__(self):
        return iter((self.exc_type, self.exc_value, self.exc_traceback, self.thread))

    def __repr__(self):
        return ("_thread._ExceptHookArgs(exc_type=%r, exc_value=%r, exc_traceback=%r, thread=%r)"
                % (self.exc_type, self.exc_value, self.exc_traceback, self.thread))

def _excepthook_call(hook, exc, thread):
    # A thread's uncaught exception, handed to the program's own
    # threading.excepthook (the machine calls this in the thread). The
    # engine has no traceback objects: exc_traceback is None.
    hook(_ExceptHookArgs(type(exc), exc, None, thread))

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

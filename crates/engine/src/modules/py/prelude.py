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

class TextIOWrapper:
    # A text file of the virtual kernel (modules/files.rs), as CPython's
    # text files behave for small files: a reader takes the whole file at
    # its first read; a writer's text waits in its buffer until flush(),
    # close() or the end of the with block, and then goes where this
    # object's offset is (to the end for mode "a").
    __module__ = "_io"

    def __init__(self, name, mode, encoding):
        self.name = name
        self.mode = mode
        self.encoding = encoding
        self.closed = False
        self._text = None
        self._pos = 0
        self._buffer = []
        # Where the next flush writes (bytes); None appends (mode "a").
        self._offset = None if "a" in mode else 0

    def __repr__(self):
        return "<_io.TextIOWrapper name=%r mode=%r encoding=%r>" % (self.name, self.mode, self.encoding)

    def _check(self, reading):
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        if reading and not self.readable():
            raise UnsupportedOperation("not readable")
        if not reading and self.readable():
            raise UnsupportedOperation("not writable")

    def _load(self):
        if self._text is None:
            self._text = _fs_read(self.name)
        return self._text

    def read(self, size=-1):
        self._check(True)
        text = self._load()
        start = self._pos
        end = len(text) if size is None or size < 0 else min(len(text), start + size)
        self._pos = end
        return text[start:end]

    def readline(self, size=-1):
        self._check(True)
        text = self._load()
        start = self._pos
        end = text.find("\n", start)
        end = len(text) if end < 0 else end + 1
        if size is not None and size >= 0:
            end = min(end, start + size)
        self._pos = end
        return text[start:end]

    def readlines(self):
        lines = []
        while True:
            line = self.readline()
            if not line:
                return lines
            lines.append(line)

    def __iter__(self):
        self._check(True)
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def write(self, s):
        self._check(False)
        if not isinstance(s, str):
            raise TypeError("write() argument must be str, not %s" % type(s).__name__)
        self._buffer.append(s)
        return len(s)

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def flush(self):
        if self.closed:
            raise ValueError("I/O operation on closed file.")
        if self._buffer:
            text = "".join(self._buffer)
            self._buffer = []
            self._offset = _fs_write(self.name, self._offset, text)

    def close(self):
        if not self.closed:
            self.flush()
            self.closed = True

    def readable(self):
        return "r" in self.mode

    def writable(self):
        return "r" not in self.mode

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_value, traceback):
        self.close()
        return False

class UnsupportedOperation(OSError):
    __module__ = "io"

def _open(file, mode="r", buffering=-1, encoding=None, errors=None, newline=None):
    # open(): text files of the virtual kernel only.
    if not isinstance(mode, str):
        raise TypeError("open() argument 'mode' must be str, not %s" % type(mode).__name__)
    kind = mode.replace("t", "")
    if "b" in kind or "+" in kind:
        raise NotImplementedError("Interleave's files are text files, read or written: open() does not support mode %r yet" % mode)
    if kind not in ("r", "w", "a", "x"):
        raise ValueError("invalid mode: %r" % mode)
    if kind == "r":
        _fs_read(file)
    else:
        _fs_create(file, kind)
    return TextIOWrapper(file, mode, "UTF-8" if encoding is None else encoding)

def _atexit_call(func, args, kwargs):
    # An atexit callback, called by the main thread at the exit (see
    # Machine::next_exit_hook); its exception is reported and ignored.
    try:
        func(*args, **kwargs)
    except BaseException as e:
        _atexit_failed(func, e)

def _json_load(fp, **kw):
    import json
    return json.loads(fp.read(), **kw)

def _json_dump(obj, fp, **kw):
    import json
    fp.write(json.dumps(obj, **kw))


class _AsyncGenAwaitable:
    # What an async generator's __anext__(), asend() and athrow() return
    # (see coroutine.rs): awaiting it runs the generator to its next yield,
    # whose value the await gives, or to its end (StopAsyncIteration),
    # passing the awaits inside it on to whoever awaits this.
    def __init__(self, agen, send, exc):
        self._agen = agen
        self._send = send
        self._exc = exc

    def __await__(self):
        agen = self._agen
        try:
            if self._exc is not None:
                r = agen._raw_throw(self._exc)
            else:
                r = agen._raw_send(self._send)
            while agen._in_await():
                try:
                    v = yield r
                except BaseException as e:
                    r = agen._raw_throw(e)
                else:
                    r = agen._raw_send(v)
        except StopIteration:
            raise StopAsyncIteration from None
        return r


def _agen_send(agen, value):
    return _AsyncGenAwaitable(agen, value, None)


def _agen_throw(agen, typ, val=None, tb=None):
    if isinstance(typ, type):
        exc = typ() if val is None else (val if isinstance(val, typ) else typ(val))
    else:
        exc = typ
    return _AsyncGenAwaitable(agen, None, exc)


async def _agen_close(agen):
    try:
        await _AsyncGenAwaitable(agen, None, GeneratorExit())
    except (GeneratorExit, StopAsyncIteration):
        return
    raise RuntimeError("async generator ignored GeneratorExit")

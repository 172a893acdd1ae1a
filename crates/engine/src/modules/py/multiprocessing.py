# multiprocessing on the virtual kernel, after CPython 3.11's own
# (multiprocessing/process.py, popen_fork.py, queues.py, connection.py,
# synchronize.py, sharedctypes.py, pool.py), with the 'fork' start
# method, Linux's default in 3.11: a Process is a fork of the program that
# runs its target and exits, so a child starts from a copy of its parent's
# memory and what it changes there its parent never sees.
#
# What processes share lives in the kernel (see `_multiprocessing`, the
# engine's processes.rs): queues and pipes carry copies of values, as
# pickling does; locks and semaphores are the kernel's; Value and Array
# are shared memory; a Manager's dicts and lists are kept there as copies.
#
# A Pipe()'s ends are counted in the kernel, in every process (a fork
# copies them): recv() raises EOFError once every write end is closed (or
# its process has exited) and nothing is left to read, and send() raises
# BrokenPipeError once every read end is. A Connection that is dropped
# without close() stays open until its process exits (CPython closes it
# when it is garbage collected).
#
# Differences from CPython: a queue's put() is done when it returns (in
# CPython a feeder thread sends it a moment later, so q.empty() right after
# q.put() may still be True there); a
# Manager's dicts and lists live in the kernel, not in a server process;
# Event, Condition and Barrier between processes are not there.

import os
import sys
import itertools
import threading
import atexit as _atexit
import _multiprocessing as _k
from queue import Empty, Full

__all__ = [
    'Process', 'current_process', 'parent_process', 'active_children',
    'cpu_count', 'Queue', 'JoinableQueue', 'SimpleQueue', 'Pipe', 'Lock',
    'RLock', 'Semaphore', 'BoundedSemaphore', 'Value', 'Array', 'Pool',
    'ProcessError', 'TimeoutError', 'get_start_method',
]

SIGTERM = 15
SIGKILL = 9
_exitcode_to_name = {-15: '-SIGTERM', -9: '-SIGKILL', -2: '-SIGINT'}


class ProcessError(Exception):
    pass


class TimeoutError(ProcessError):
    pass


def cpu_count():
    return os.cpu_count()


def get_start_method(allow_none=False):
    return 'fork'


def set_start_method(method, force=False):
    if method != 'fork':
        raise ValueError("Interleave's processes start by fork only (the default on Linux in Python 3.11), not %r" % (method,))


def freeze_support():
    pass


def _flush_std_streams():
    # (The virtual terminal's output is never buffered: nothing to flush.)
    pass


class _Popen:
    # popen_fork.Popen: the child runs the process object's _bootstrap
    # and exits with its exit code, without returning to the program.
    def __init__(self, process_obj):
        _flush_std_streams()
        self.returncode = None
        self.pid = None
        code = 1
        self.pid = os.fork()
        if self.pid == 0:
            try:
                code = process_obj._bootstrap()
            finally:
                os._exit(code)

    def poll(self, flag=os.WNOHANG):
        if self.returncode is None:
            sts = _k._wait_child(self.pid, None if flag == 0 else 0)
            if sts is not None:
                self.returncode = os.waitstatus_to_exitcode(sts)
        return self.returncode

    def wait(self, timeout=None):
        if self.returncode is None:
            sts = _k._wait_child(self.pid, timeout)
            if sts is not None:
                self.returncode = os.waitstatus_to_exitcode(sts)
        return self.returncode

    def _send_signal(self, sig):
        if self.returncode is None:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass

    def terminate(self):
        self._send_signal(SIGTERM)

    def kill(self):
        self._send_signal(SIGKILL)


class BaseProcess:
    def __init__(self, group=None, target=None, name=None, args=(), kwargs={},
                 *, daemon=None):
        assert group is None, 'group argument must be None for now'
        count = next(_process_counter)
        self._identity = _current_process._identity + (count,)
        self._config = dict(_current_process._config)
        self._parent_pid = os.getpid()
        self._parent_name = _current_process.name
        self._popen = None
        self._closed = False
        self._target = target
        self._args = tuple(args)
        self._kwargs = dict(kwargs)
        self._name = name or type(self).__name__ + '-' + ':'.join(str(i) for i in self._identity)
        if daemon is not None:
            self.daemon = daemon

    def _check_closed(self):
        if self._closed:
            raise ValueError("process object is closed")

    def run(self):
        if self._target:
            self._target(*self._args, **self._kwargs)

    def start(self):
        self._check_closed()
        assert self._popen is None, 'cannot start a process twice'
        assert self._parent_pid == os.getpid(), 'can only start a process object created by current process'
        assert not _current_process._config.get('daemon'), 'daemonic processes are not allowed to have children'
        _cleanup()
        self._popen = _Popen(self)
        del self._target, self._args, self._kwargs
        _children.add(self)

    def terminate(self):
        self._check_closed()
        self._popen.terminate()

    def kill(self):
        self._check_closed()
        self._popen.kill()

    def join(self, timeout=None):
        self._check_closed()
        assert self._parent_pid == os.getpid(), 'can only join a child process'
        assert self._popen is not None, 'can only join a started process'
        res = self._popen.wait(timeout)
        if res is not None:
            _children.discard(self)

    def is_alive(self):
        self._check_closed()
        if self is _current_process:
            return True
        assert self._parent_pid == os.getpid(), 'can only test a child process'
        if self._popen is None:
            return False
        returncode = self._popen.poll()
        if returncode is None:
            return True
        _children.discard(self)
        return False

    def close(self):
        if self._popen is not None:
            if self._popen.poll() is None:
                raise ValueError("Cannot close a process while it is still running. "
                                 "You should first call join() or terminate().")
            self._popen = None
            _children.discard(self)
        self._closed = True

    @property
    def name(self):
        return self._name

    @name.setter
    def name(self, name):
        assert isinstance(name, str), 'name must be a string'
        self._name = name

    @property
    def daemon(self):
        return self._config.get('daemon', False)

    @daemon.setter
    def daemon(self, daemonic):
        assert self._popen is None, 'process has already started'
        self._config['daemon'] = daemonic

    @property
    def exitcode(self):
        self._check_closed()
        if self._popen is None:
            return self._popen
        return self._popen.poll()

    @property
    def ident(self):
        self._check_closed()
        if self is _current_process:
            return os.getpid()
        return self._popen and self._popen.pid

    pid = ident

    def __repr__(self):
        exitcode = None
        if self is _current_process:
            status = 'started'
        elif self._closed:
            status = 'closed'
        elif self._parent_pid != os.getpid():
            status = 'unknown'
        elif self._popen is None:
            status = 'initial'
        else:
            exitcode = self._popen.poll()
            if exitcode is not None:
                status = 'stopped'
            else:
                status = 'started'
        info = [type(self).__name__, 'name=%r' % self._name]
        if self._popen is not None:
            info.append('pid=%s' % self._popen.pid)
        info.append('parent=%s' % self._parent_pid)
        info.append(status)
        if exitcode is not None:
            exitcode = _exitcode_to_name.get(exitcode, exitcode)
            info.append('exitcode=%s' % exitcode)
        if self.daemon:
            info.append('daemon')
        return '<%s>' % ' '.join(info)

    def _bootstrap(self):
        # In the child, after the fork: it is the current process now,
        # with no children of its own yet.
        global _current_process, _parent_process, _process_counter, _children
        exitcode = 1
        try:
            _children = set()
            _process_counter = itertools.count(1)
            _current_process = self
            _parent_process = _ParentProcess(self._parent_name, self._parent_pid)
            _k._lane(self._name)
            try:
                self.run()
                exitcode = 0
            finally:
                _exit_function()
        except SystemExit as e:
            if e.code is None:
                exitcode = 0
            elif isinstance(e.code, int):
                exitcode = e.code
            else:
                sys.stderr.write(str(e.code) + '\n')
                exitcode = 1
        except BaseException:
            exitcode = 1
            import traceback
            sys.stderr.write('Process %s:\n' % self.name)
            traceback.print_exc()
        finally:
            # threading._shutdown(): the process waits for its own
            # non-daemon threads before it exits.
            me = threading.current_thread()
            for t in threading.enumerate():
                if t is not me and not t.daemon:
                    t.join()
        return exitcode


class Process(BaseProcess):
    pass


class _MainProcess(BaseProcess):
    def __init__(self):
        self._identity = ()
        self._name = 'MainProcess'
        self._parent_pid = None
        self._popen = None
        self._closed = False
        self._config = {'semprefix': '/mp'}


class _ParentProcess(BaseProcess):
    def __init__(self, name, pid):
        self._identity = ()
        self._name = name
        self._pid = pid
        self._parent_pid = None
        self._popen = None
        self._closed = False
        self._config = {}

    def is_alive(self):
        return os.getppid() == self._pid

    @property
    def ident(self):
        return self._pid

    pid = ident

    def join(self, timeout=None):
        raise ValueError('cannot join the parent process')


_current_process = _MainProcess()
_parent_process = None
_process_counter = itertools.count(1)
_children = set()


def current_process():
    return _current_process


def parent_process():
    return _parent_process


def _cleanup():
    # Reaps the children that have exited (so that they are zombies only
    # until the next start() or active_children()).
    for p in list(_children):
        if p._popen.poll() is not None:
            _children.discard(p)


def active_children():
    _cleanup()
    return list(_children)


def _exit_function():
    # util._exit_function, registered with atexit as CPython does: at the
    # end of the main program (and of each child), daemonic children are
    # terminated and the others waited for.
    for p in active_children():
        if p.daemon:
            p._popen.terminate()
    for p in active_children():
        p.join()


_atexit.register(_exit_function)


# ------------------------------------------------------------ queues

class Queue:
    def __init__(self, maxsize=0):
        self._maxsize = maxsize if maxsize > 0 else 0
        self._chan = _k._chan_new(self._maxsize)
        self._closed = False

    def _check(self):
        if self._closed:
            raise ValueError(f"Queue {self!r} is closed")

    def put(self, obj, block=True, timeout=None):
        self._check()
        _k._chan_put(self._chan, obj, block, timeout, False)

    def get(self, block=True, timeout=None):
        self._check()
        return _k._chan_get(self._chan, block, timeout)

    def put_nowait(self, obj):
        return self.put(obj, False)

    def get_nowait(self):
        return self.get(False)

    def qsize(self):
        return _k._chan_size(self._chan)

    def empty(self):
        return not self.qsize()

    def full(self):
        return self._maxsize > 0 and self.qsize() >= self._maxsize

    def close(self):
        self._closed = True

    def join_thread(self):
        pass

    def cancel_join_thread(self):
        pass


class JoinableQueue(Queue):
    def put(self, obj, block=True, timeout=None):
        self._check()
        _k._chan_put(self._chan, obj, block, timeout, True)

    def task_done(self):
        _k._chan_task_done(self._chan)

    def join(self):
        _k._chan_join(self._chan)


class SimpleQueue:
    def __init__(self):
        self._chan = _k._chan_new(0)

    def put(self, obj):
        _k._chan_put(self._chan, obj, True, None, False)

    def get(self):
        return _k._chan_get(self._chan, True, None)

    def empty(self):
        return not _k._chan_size(self._chan)

    def close(self):
        pass


class Connection:
    # One end of a Pipe(): it reads one channel and writes another (or
    # only one of them, for a one-way pipe).
    def __init__(self, rchan, wchan):
        self._rchan = rchan
        self._wchan = wchan
        self._closed = False
        # The kernel counts the open ends of each direction, in every
        # process: a recv() with no writer left raises EOFError.
        if rchan is not None:
            _k._chan_open(rchan, False)
        if wchan is not None:
            _k._chan_open(wchan, True)

    def _check(self, chan, what):
        if self._closed:
            raise OSError("handle is closed")
        if chan is None:
            raise OSError("connection is %s" % what)

    def send(self, obj):
        self._check(self._wchan, "read-only")
        _k._chan_put(self._wchan, obj, True, None, False)

    def recv(self):
        self._check(self._rchan, "write-only")
        return _k._chan_get(self._rchan, True, None)

    send_bytes = send
    recv_bytes = recv

    def poll(self, timeout=0.0):
        self._check(self._rchan, "write-only")
        return _k._chan_poll(self._rchan, timeout)

    def close(self):
        if not self._closed:
            self._closed = True
            if self._rchan is not None:
                _k._chan_close(self._rchan, False)
            if self._wchan is not None:
                _k._chan_close(self._wchan, True)

    @property
    def closed(self):
        return self._closed

    @property
    def readable(self):
        return self._rchan is not None

    @property
    def writable(self):
        return self._wchan is not None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


def Pipe(duplex=True):
    if duplex:
        a = _k._chan_new(0)
        b = _k._chan_new(0)
        return Connection(a, b), Connection(b, a)
    c = _k._chan_new(0)
    return Connection(c, None), Connection(None, c)


# ------------------------------------------------------- locks

class _KernelLock:
    _kind = 0

    def __init__(self, value=1, bound=None):
        self._id = _k._ksync_new(self._kind, value, bound)

    def acquire(self, block=True, timeout=None):
        return _k._ksync_acquire(self._id, block, timeout)

    def release(self):
        _k._ksync_release(self._id)

    def __enter__(self):
        return self.acquire()

    def __exit__(self, *exc):
        self.release()


class Lock(_KernelLock):
    _kind = 0

    def __init__(self):
        _KernelLock.__init__(self)

    def __repr__(self):
        return '<Lock(owner=%s)>' % ('None' if _k._ksync_value(self._id) else 'SomeOtherProcess')


class RLock(_KernelLock):
    _kind = 1

    def __init__(self):
        _KernelLock.__init__(self)

    def __repr__(self):
        return '<RLock(%s)>' % ('None, 0' if _k._ksync_value(self._id) else 'SomeOtherProcess, nonzero')


class Semaphore(_KernelLock):
    _kind = 2

    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        _KernelLock.__init__(self, value)

    def get_value(self):
        return _k._ksync_value(self._id)

    def __repr__(self):
        return '<%s(value=%s)>' % (type(self).__name__, self.get_value())


class BoundedSemaphore(Semaphore):
    def __init__(self, value=1):
        if value < 0:
            raise ValueError("semaphore initial value must be >= 0")
        _KernelLock.__init__(self, value, value)

    def __repr__(self):
        return '<BoundedSemaphore(value=%s, maxvalue=%s)>' % (self.get_value(), '?')


# ------------------------------------------------- shared memory

_ctypes_names = {
    'b': 'c_byte', 'B': 'c_ubyte', 'h': 'c_short', 'H': 'c_ushort',
    'i': 'c_int', 'I': 'c_uint', 'l': 'c_long', 'L': 'c_ulong',
    'q': 'c_longlong', 'Q': 'c_ulonglong', 'f': 'c_float', 'd': 'c_double',
    'c': 'c_char', 'u': 'c_wchar',
}


def _convert(typecode, value):
    if typecode in 'fd':
        return float(value)
    if typecode in 'cu':
        return value
    if isinstance(value, float):
        raise TypeError("int expected instead of float")
    return int(value)


class _SharedBase:
    # What Value and Array share: the lock that guards them.
    def get_lock(self):
        return self._lock

    def get_obj(self):
        return self

    def __enter__(self):
        return self._lock.__enter__()

    def __exit__(self, *args):
        return self._lock.__exit__(*args)


class _Synchronized(_SharedBase):
    def __init__(self, typecode, value, lock=True):
        if typecode not in _ctypes_names:
            raise TypeError("unknown type code %r" % (typecode,))
        self._typecode = typecode
        self._shm = _k._shm_new([_convert(typecode, value)])
        if lock is True:
            lock = RLock()
        self._lock = lock

    @property
    def value(self):
        return _k._shm_get(self._shm, 0)

    @value.setter
    def value(self, v):
        _k._shm_set(self._shm, 0, _convert(self._typecode, v))

    def __repr__(self):
        return '<Synchronized wrapper for %s(%r)>' % (_ctypes_names[self._typecode], self.value)


class _SynchronizedArray(_SharedBase):
    def __init__(self, typecode, size_or_initializer, lock=True):
        if typecode not in _ctypes_names:
            raise TypeError("unknown type code %r" % (typecode,))
        self._typecode = typecode
        if isinstance(size_or_initializer, int):
            zero = 0.0 if typecode in 'fd' else 0
            items = [zero] * size_or_initializer
        else:
            items = [_convert(typecode, x) for x in size_or_initializer]
        self._shm = _k._shm_new(items)
        if lock is True:
            lock = RLock()
        self._lock = lock

    def __len__(self):
        return _k._shm_len(self._shm)

    def __getitem__(self, i):
        if isinstance(i, slice):
            return [_k._shm_get(self._shm, j) for j in list(range(len(self)))[i]]
        return _k._shm_get(self._shm, i)

    def __setitem__(self, i, v):
        if isinstance(i, slice):
            for j, x in zip(list(range(len(self)))[i], v):
                _k._shm_set(self._shm, j, _convert(self._typecode, x))
            return
        _k._shm_set(self._shm, i, _convert(self._typecode, v))

    def __iter__(self):
        return iter(self[:])

    def __repr__(self):
        return '<SynchronizedArray wrapper for %s_Array_%d>' % (_ctypes_names[self._typecode], len(self))


def Value(typecode_or_type, *args, lock=True):
    if lock is False:
        return _Synchronized(typecode_or_type, *args, lock=None)
    return _Synchronized(typecode_or_type, *args, lock=lock)


def Array(typecode_or_type, size_or_initializer, *, lock=True):
    if lock is False:
        return _SynchronizedArray(typecode_or_type, size_or_initializer, lock=None)
    return _SynchronizedArray(typecode_or_type, size_or_initializer, lock=lock)


# ---------------------------------------------------------- pools

class AsyncResult:
    def __init__(self, pool, callback, error_callback):
        self._pool = pool
        self._event = threading.Event()
        self._callback = callback
        self._error_callback = error_callback
        self._success = None
        self._value = None

    def ready(self):
        return self._event.is_set()

    def successful(self):
        if not self.ready():
            raise ValueError("{0!r} not ready".format(self))
        return self._success

    def wait(self, timeout=None):
        self._event.wait(timeout)

    def get(self, timeout=None):
        self.wait(timeout)
        if not self.ready():
            raise TimeoutError
        if self._success:
            return self._value
        raise self._value

    def _set(self, success, value):
        self._success, self._value = success, value
        if self._callback and success:
            self._callback(value)
        if self._error_callback and not success:
            self._error_callback(value)
        self._event.set()


class MapResult(AsyncResult):
    def __init__(self, pool, parts, callback, error_callback):
        AsyncResult.__init__(self, pool, callback, error_callback)
        self._parts = parts

    def _gather(self):
        try:
            value = [p.get() for p in self._parts]
        except BaseException as e:
            self._set(False, e)
            return
        self._set(True, value)


def _worker(tasks, results):
    # A pool's worker process: runs tasks until the sentinel None.
    while True:
        task = tasks.get()
        if task is None:
            break
        job, func, args, kwds = task
        try:
            result = (job, True, func(*args, **kwds))
        except Exception as e:
            result = (job, False, e)
        results.put(result)


class Pool:
    _counter = itertools.count(1)

    def __init__(self, processes=None, initializer=None, initargs=()):
        if processes is None:
            processes = os.cpu_count() or 1
        if processes < 1:
            raise ValueError("Number of processes must be at least 1")
        self._processes = processes
        self._tasks = SimpleQueue()
        self._results = SimpleQueue()
        self._jobs = {}
        self._job_counter = itertools.count()
        self._state = 'RUN'
        self._pool = []
        for _ in range(processes):
            w = Process(target=self._work, args=(initializer, initargs))
            w.name = w.name.replace('Process', 'ForkPoolWorker')
            w.daemon = True
            w.start()
            self._pool.append(w)
        # The result handler: a thread of the parent that hands each
        # result to its AsyncResult (and runs the callbacks), as CPython's.
        self._handler = threading.Thread(target=self._handle_results, daemon=True)
        self._handler.start()

    def _work(self, initializer, initargs):
        if initializer is not None:
            initializer(*initargs)
        _worker(self._tasks, self._results)

    def _handle_results(self):
        while True:
            item = self._results.get()
            if item is None:
                break
            job, success, value = item
            self._jobs.pop(job)._set(success, value)

    def _check_running(self):
        if self._state != 'RUN':
            raise ValueError("Pool not running")

    def apply_async(self, func, args=(), kwds={}, callback=None, error_callback=None):
        self._check_running()
        result = AsyncResult(self, callback, error_callback)
        job = next(self._job_counter)
        self._jobs[job] = result
        self._tasks.put((job, func, tuple(args), dict(kwds)))
        return result

    def apply(self, func, args=(), kwds={}):
        return self.apply_async(func, args, kwds).get()

    def map_async(self, func, iterable, chunksize=None, callback=None, error_callback=None):
        parts = [self.apply_async(func, (x,)) for x in iterable]
        result = MapResult(self, parts, callback, error_callback)
        threading.Thread(target=result._gather, daemon=True).start()
        return result

    def map(self, func, iterable, chunksize=None):
        return [r.get() for r in [self.apply_async(func, (x,)) for x in iterable]]

    def starmap(self, func, iterable, chunksize=None):
        return [r.get() for r in [self.apply_async(func, tuple(x)) for x in iterable]]

    def imap(self, func, iterable, chunksize=1):
        return iter(self.map(func, iterable))

    imap_unordered = imap

    def close(self):
        if self._state == 'RUN':
            self._state = 'CLOSE'
            for _ in self._pool:
                self._tasks.put(None)

    def terminate(self):
        self._state = 'TERMINATE'
        for w in self._pool:
            if w.exitcode is None:
                w.terminate()
        for w in self._pool:
            w.join()
        self._results.put(None)

    def join(self):
        if self._state == 'RUN':
            raise ValueError("Pool is still running")
        for w in self._pool:
            w.join()
        self._results.put(None)
        self._handler.join()

    def __enter__(self):
        self._check_running()
        return self

    def __exit__(self, *exc):
        self.terminate()

    def __repr__(self):
        return '<multiprocessing.pool.Pool state=%s pool_size=%d>' % (self._state, len(self._pool))


# ---------------------------------------------------------- managers

def _apply(obj, method, args):
    # One request to a managed object, in the manager's process.
    if method == '__getitem__':
        return obj[args[0]]
    if method == '__setitem__':
        obj[args[0]] = args[1]
        return None
    if method == '__delitem__':
        del obj[args[0]]
        return None
    if method == '__len__':
        return len(obj)
    if method == '__contains__':
        return args[0] in obj
    if method == '__str__':
        return str(obj)
    if method == '__iter__':
        return list(obj)
    if method in ('keys', 'values', 'items'):
        return list(getattr(obj, method)())
    return getattr(obj, method)(*args)


class BaseProxy:
    # A proxy to a managed object. In CPython the object lives in the
    # manager's server process and each operation is a request to it; here
    # it lives in the kernel and each operation is one step that reads it,
    # applies the operation and writes it back. Either way an operation is
    # atomic, and two of them (`d[k] += 1`) are not.
    def __init__(self, oid, typeid):
        self._id = oid
        self._typeid = typeid

    def _callmethod(self, method, args=()):
        return _k._mg_call(self._id, _apply, method, tuple(args))

    def __str__(self):
        return self._callmethod('__str__')

    def __repr__(self):
        return '<%s object, typeid %r>' % (type(self).__name__, self._typeid)

    def __len__(self):
        return self._callmethod('__len__')

    def __contains__(self, key):
        return self._callmethod('__contains__', (key,))

    def __getitem__(self, key):
        return self._callmethod('__getitem__', (key,))

    def __setitem__(self, key, value):
        self._callmethod('__setitem__', (key, value))

    def __delitem__(self, key):
        self._callmethod('__delitem__', (key,))

    def __iter__(self):
        return iter(self._callmethod('__iter__'))


def _proxy_method(name):
    def call(self, *args):
        return self._callmethod(name, args)
    call.__name__ = name
    return call


class DictProxy(BaseProxy):
    pass


class ListProxy(BaseProxy):
    pass


for _name in ('clear', 'copy', 'get', 'items', 'keys', 'pop', 'popitem', 'setdefault', 'update', 'values'):
    setattr(DictProxy, _name, _proxy_method(_name))
for _name in ('append', 'count', 'extend', 'index', 'insert', 'pop', 'remove', 'reverse', 'sort'):
    setattr(ListProxy, _name, _proxy_method(_name))


class SyncManager:
    # Manager(): dicts and lists that every process uses through proxies;
    # Lock, Queue and Value are the kernel's own, which every process
    # shares already. (CPython starts a server process for them; here the
    # kernel holds them, so there is no process to see in the timeline.)
    def start(self):
        pass

    def dict(self, *args, **kwargs):
        return DictProxy(_k._mg_new(dict(*args, **kwargs)), 'dict')

    def list(self, *args):
        return ListProxy(_k._mg_new(list(*args)), 'list')

    def Lock(self):
        return Lock()

    def RLock(self):
        return RLock()

    def Semaphore(self, value=1):
        return Semaphore(value)

    def Queue(self, maxsize=0):
        return Queue(maxsize)

    def Value(self, typecode, value, lock=True):
        return Value(typecode, value, lock=lock)

    def Array(self, typecode, sequence, lock=True):
        return Array(typecode, sequence, lock=lock)

    def shutdown(self):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.shutdown()


def Manager():
    return SyncManager()

# asyncio, as CPython 3.11's, for the programs that tutorials write: the
# event loop, Future and Task, sleep, gather, wait, wait_for, as_completed,
# shield, timeout, Queue (and its Priority and Lifo kinds), Lock, Event,
# Condition, Semaphore, BoundedSemaphore, run_in_executor and to_thread.
#
# Written in Python, as CPython's pure-Python versions of the same classes
# (the C ones behave the same), so that the order in which callbacks and
# tasks run, and so what a program prints, is CPython's. The loop runs on
# the thread that calls asyncio.run() like any other Python code: the
# engine knows nothing of it, and coroutines switch only at an `await`
# that cannot go on at once.
#
# Time is the engine's virtual clock. Where CPython's loop waits in
# select() for the next timer, this one sleeps (time.sleep) until it, so
# three tasks that sleep 2, 3 and 5 seconds end after 5 virtual seconds,
# at once. While a worker thread of run_in_executor or to_thread may still
# call back, the loop waits on a queue instead, for the callback or the
# next timer. A loop with nothing scheduled and no thread that could wake
# it waits forever in CPython; here the engine reports the deadlock.
#
# Sockets: the loop's readers and writers (add_reader, add_writer), the
# loop.sock_* coroutines, and streams (open_connection, start_server,
# StreamReader, StreamWriter), over the engine's virtual sockets. The
# loop's select() is then one poll of the kernel for every registered
# socket, with the next timer as its timeout, as CPython's selector loop
# does with epoll. Streams are written on the sockets directly, without
# CPython's protocols and transports.
#
# Left out: datagrams and Unix sockets, subprocesses, signals, closing the async
# generators left unfinished when asyncio.run() ends (their finally blocks
# do not run then), the debug mode, and the warnings CPython prints when a
# coroutine is never awaited. "Task exception was never
# retrieved" is printed when the loop closes, where CPython prints it
# when the task is garbage collected.

import time as _time
import heapq as _heapq
import sys as _sys
import threading as _threading
import queue as _queue
import _socket as _k
from collections import deque as _deque


# ---------------------------------------------------------------- exceptions

class CancelledError(BaseException):
    """The Future or Task was cancelled."""
    __module__ = 'asyncio.exceptions'


class InvalidStateError(Exception):
    """The operation is not allowed in this state."""
    __module__ = 'asyncio.exceptions'


TimeoutError = TimeoutError


class QueueEmpty(Exception):
    """Raised when Queue.get_nowait() is called on an empty Queue."""
    __module__ = 'asyncio.queues'


class QueueFull(Exception):
    """Raised when the Queue.put_nowait() method is called on a full Queue."""
    __module__ = 'asyncio.queues'


FIRST_COMPLETED = 'FIRST_COMPLETED'
FIRST_EXCEPTION = 'FIRST_EXCEPTION'
ALL_COMPLETED = 'ALL_COMPLETED'

_PENDING = 'PENDING'
_CANCELLED = 'CANCELLED'
_FINISHED = 'FINISHED'


async def _coroutine_sample():
    pass


_sample = _coroutine_sample()
_CoroutineType = type(_sample)
_sample.close()
del _sample


def iscoroutine(obj):
    return type(obj) is _CoroutineType


class _Coroutines:
    # asyncio.coroutines, a module of CPython's asyncio package (and what
    # "Did you mean" offers for the removed asyncio.coroutine).
    iscoroutine = staticmethod(iscoroutine)


coroutines = _Coroutines()


def isfuture(obj):
    return getattr(obj.__class__, '_asyncio_future_blocking', None) is not None and obj._asyncio_future_blocking is not None


# ---------------------------------------------------------------- the loops

# The running loop of each thread, by thread id; the loop that
# get_event_loop() gives when none runs, and whether set_event_loop() was
# ever called (after that, as after asyncio.run(), get_event_loop() makes
# no new loop).
_running_loops = {}
_event_loop = [None, False]


def _get_running_loop():
    return _running_loops.get(_threading.get_ident())


def get_running_loop():
    loop = _get_running_loop()
    if loop is None:
        raise RuntimeError('no running event loop')
    return loop


def get_event_loop():
    loop = _get_running_loop()
    if loop is not None:
        return loop
    if _event_loop[0] is None and not _event_loop[1] and _threading.current_thread() is _threading.main_thread():
        set_event_loop(new_event_loop())
    if _event_loop[0] is None:
        raise RuntimeError("There is no current event loop in thread %r." % _threading.current_thread().name)
    return _event_loop[0]


def set_event_loop(loop):
    _event_loop[0] = loop
    _event_loop[1] = True


def new_event_loop():
    return _UnixSelectorEventLoop()


class Handle:
    __module__ = 'asyncio.events'
    def __init__(self, callback, args, loop, context=None):
        self._callback = callback
        self._args = args
        self._loop = loop
        self._cancelled = False

    def __repr__(self):
        name = getattr(self._callback, '__qualname__', None) or getattr(self._callback, '__name__', None) or repr(self._callback)
        state = ' cancelled' if self._cancelled else ''
        return '<%s%s %s()>' % (self.__class__.__name__, state, name)

    def cancel(self):
        if not self._cancelled:
            self._cancelled = True
            self._callback = None
            self._args = None

    def cancelled(self):
        return self._cancelled

    def _run(self):
        try:
            self._callback(*self._args)
        except (SystemExit, KeyboardInterrupt):
            raise
        except BaseException as exc:
            self._loop.call_exception_handler({
                'message': 'Exception in callback %r' % (self,),
                'exception': exc,
                'handle': self,
            })


class TimerHandle(Handle):
    __module__ = 'asyncio.events'
    def __init__(self, when, callback, args, loop, context=None):
        super().__init__(callback, args, loop, context)
        self._when = when
        self._scheduled = False

    def __lt__(self, other):
        return self._when < other._when

    def __le__(self, other):
        return self._when < other._when or self.__eq__(other)

    def __gt__(self, other):
        return self._when > other._when

    def __ge__(self, other):
        return self._when > other._when or self.__eq__(other)

    def __eq__(self, other):
        if isinstance(other, TimerHandle):
            return (self._when == other._when and self._callback == other._callback and
                    self._args == other._args and self._cancelled == other._cancelled)
        return NotImplemented

    def __hash__(self):
        return hash(self._when)

    def cancel(self):
        if not self._cancelled:
            self._loop._timer_handle_cancelled(self)
        super().cancel()

    def when(self):
        return self._when


class AbstractEventLoop:
    __module__ = 'asyncio.events'
    pass


class _UnixSelectorEventLoop(AbstractEventLoop):
    __module__ = 'asyncio.unix_events'
    def __init__(self):
        self._ready = _deque()
        self._scheduled = []
        self._timer_cancelled_count = 0
        self._stopping = False
        self._closed = False
        self._running = False
        self._clock_resolution = 1e-09
        self._default_executor = None
        # Callbacks from other threads (call_soon_threadsafe), made on
        # first use, and how many executor jobs may still send one.
        self._threadsafe = None
        self._threads_out = 0
        self._exception_handler = None
        self._tasks = []
        # Sockets watched for reading and writing: fd -> Handle.
        self._readers = {}
        self._writers = {}

    def __repr__(self):
        return '<%s running=%s closed=%s debug=False>' % (self.__class__.__name__, self.is_running(), self.is_closed())

    def time(self):
        return _time.monotonic()

    def is_running(self):
        return self._running

    def is_closed(self):
        return self._closed

    def get_debug(self):
        return False

    def set_debug(self, enabled):
        pass

    def _check_closed(self):
        if self._closed:
            raise RuntimeError('Event loop is closed')

    def create_future(self):
        return Future(loop=self)

    def create_task(self, coro, *, name=None, context=None):
        self._check_closed()
        task = Task(coro, loop=self, name=name)
        return task

    def call_soon(self, callback, *args, context=None):
        self._check_closed()
        handle = Handle(callback, args, self)
        self._ready.append(handle)
        return handle

    def call_later(self, delay, callback, *args, context=None):
        if delay is None:
            raise TypeError('delay must not be None')
        return self.call_at(self.time() + delay, callback, *args)

    def call_at(self, when, callback, *args, context=None):
        if when is None:
            raise TypeError("when cannot be None")
        self._check_closed()
        timer = TimerHandle(when, callback, args, self)
        _heapq.heappush(self._scheduled, timer)
        timer._scheduled = True
        return timer

    def call_soon_threadsafe(self, callback, *args, context=None):
        self._check_closed()
        handle = Handle(callback, args, self)
        self._callbacks_from_threads().put(handle)
        return handle

    def _callbacks_from_threads(self):
        if self._threadsafe is None:
            self._threadsafe = _queue.SimpleQueue()
        return self._threadsafe

    def _timer_handle_cancelled(self, handle):
        if handle._scheduled:
            self._timer_cancelled_count += 1

    def stop(self):
        self._stopping = True

    def close(self):
        if self.is_running():
            raise RuntimeError("Cannot close a running event loop")
        if self._closed:
            return
        self._closed = True
        self._ready.clear()
        self._scheduled.clear()
        _report_lost_exceptions(self)
        executor = self._default_executor
        if executor is not None:
            self._default_executor = None
            executor.shutdown(wait=False)

    def run_forever(self):
        self._check_closed()
        if self.is_running():
            raise RuntimeError('This event loop is already running')
        if _get_running_loop() is not None:
            raise RuntimeError('Cannot run the event loop while another loop is running')
        self._running = True
        _running_loops[_threading.get_ident()] = self
        try:
            while True:
                self._run_once()
                if self._stopping:
                    break
        finally:
            self._stopping = False
            self._running = False
            del _running_loops[_threading.get_ident()]

    def run_until_complete(self, future):
        self._check_closed()
        if self.is_running():
            raise RuntimeError('This event loop is already running')
        new_task = not isfuture(future)
        future = ensure_future(future, loop=self)
        future.add_done_callback(_run_until_complete_cb)
        try:
            self.run_forever()
        except:
            if new_task and future.done() and not future.cancelled():
                future.exception()
            raise
        finally:
            future.remove_done_callback(_run_until_complete_cb)
        if not future.done():
            raise RuntimeError('Event loop stopped before Future completed.')
        return future.result()

    def _select(self, timeout):
        # CPython's selector.select(timeout): the sockets the loop watches,
        # and callbacks from other threads.
        if self._readers or self._writers:
            masks = {}
            for fd in self._readers:
                masks[fd] = masks.get(fd, 0) | 1
            for fd in self._writers:
                masks[fd] = masks.get(fd, 0) | 4
            wait = timeout
            if self._threads_out > 0 and (wait is None or wait > 0.01):
                # A thread's callback is seen between two polls.
                wait = 0.01
            for fd, events in _k._poll(list(masks.items()), wait, 'poll'):
                if events & (1 | 8 | 16 | 32):
                    handle = self._readers.get(fd)
                    if handle is not None and not handle._cancelled:
                        self._ready.append(handle)
                if events & (4 | 8 | 16 | 32):
                    handle = self._writers.get(fd)
                    if handle is not None and not handle._cancelled:
                        self._ready.append(handle)
        elif timeout is None or timeout > 0:
            if self._threads_out > 0:
                try:
                    if timeout is None:
                        self._ready.append(self._callbacks_from_threads().get())
                    else:
                        self._ready.append(self._callbacks_from_threads().get(timeout=timeout))
                except _queue.Empty:
                    pass
            elif timeout is None:
                # Nothing scheduled, and nothing that could wake the loop:
                # it waits forever (the engine reports a deadlock).
                self._ready.append(self._callbacks_from_threads().get())
            else:
                _time.sleep(timeout)
        while self._threadsafe is not None and not self._threadsafe.empty():
            self._ready.append(self._threadsafe.get())

    def _run_once(self):
        sched_count = len(self._scheduled)
        if sched_count > 100 and self._timer_cancelled_count / sched_count > 0.5:
            new_scheduled = []
            for handle in self._scheduled:
                if handle._cancelled:
                    handle._scheduled = False
                else:
                    new_scheduled.append(handle)
            _heapq.heapify(new_scheduled)
            self._scheduled = new_scheduled
            self._timer_cancelled_count = 0
        else:
            while self._scheduled and self._scheduled[0]._cancelled:
                self._timer_cancelled_count -= 1
                handle = _heapq.heappop(self._scheduled)
                handle._scheduled = False

        timeout = None
        if self._ready or self._stopping:
            timeout = 0
        elif self._scheduled:
            when = self._scheduled[0]._when
            timeout = min(max(0, when - self.time()), 86400)

        self._select(timeout)

        end_time = self.time() + self._clock_resolution
        while self._scheduled:
            handle = self._scheduled[0]
            if handle._when >= end_time:
                break
            handle = _heapq.heappop(self._scheduled)
            handle._scheduled = False
            self._ready.append(handle)

        ntodo = len(self._ready)
        for i in range(ntodo):
            handle = self._ready.popleft()
            if handle._cancelled:
                continue
            handle._run()
        handle = None

    # ------------------------------------------------------------ sockets

    def add_reader(self, fd, callback, *args):
        self._check_closed()
        self._readers[_fileno(fd)] = Handle(callback, args, self)

    def remove_reader(self, fd):
        return self._readers.pop(_fileno(fd), None) is not None

    def add_writer(self, fd, callback, *args):
        self._check_closed()
        self._writers[_fileno(fd)] = Handle(callback, args, self)

    def remove_writer(self, fd):
        return self._writers.pop(_fileno(fd), None) is not None

    async def sock_recv(self, sock, n):
        while True:
            try:
                return sock.recv(n)
            except BlockingIOError:
                pass
            await _wait_fd(self, sock, True)

    async def sock_sendall(self, sock, data):
        while data:
            try:
                n = sock.send(data)
            except BlockingIOError:
                n = 0
            data = data[n:]
            if data:
                await _wait_fd(self, sock, False)

    async def sock_accept(self, sock):
        while True:
            try:
                conn, address = sock.accept()
                conn.setblocking(False)
                return conn, address
            except BlockingIOError:
                pass
            await _wait_fd(self, sock, True)

    async def sock_connect(self, sock, address):
        try:
            sock.connect(address)
            return
        except BlockingIOError as e:
            if e.errno != 115:
                raise
        await _wait_fd(self, sock, False)
        err = sock.getsockopt(1, 4)
        if err:
            raise OSError(err, 'Connect call failed %s' % (address,))

    def run_in_executor(self, executor, func, *args):
        self._check_closed()
        if executor is None:
            executor = self._default_executor
            if executor is None:
                from concurrent.futures import ThreadPoolExecutor
                executor = ThreadPoolExecutor(thread_name_prefix='asyncio')
                self._default_executor = executor
        return wrap_future(executor.submit(func, *args), loop=self)

    def set_default_executor(self, executor):
        self._default_executor = executor

    async def shutdown_asyncgens(self):
        pass

    async def shutdown_default_executor(self):
        executor = self._default_executor
        if executor is None:
            return
        self._default_executor = None
        executor.shutdown(wait=True)

    def set_exception_handler(self, handler):
        self._exception_handler = handler

    def get_exception_handler(self):
        return self._exception_handler

    def default_exception_handler(self, context):
        message = context.get('message') or 'Unhandled exception in event loop'
        exception = context.get('exception')
        lines = [message]
        for key in sorted(context):
            if key in ('message', 'exception'):
                continue
            lines.append('%s: %r' % (key, context[key]))
        print('\n'.join(lines), file=_sys.stderr)
        if exception is not None:
            import traceback
            traceback.print_exception(exception)

    def call_exception_handler(self, context):
        if self._exception_handler is None:
            self.default_exception_handler(context)
        else:
            self._exception_handler(self, context)


def _run_until_complete_cb(fut):
    fut._loop.stop()


def _report_lost_exceptions(loop):
    # CPython reports a task's exception that nobody retrieved when the
    # task is garbage collected; the engine has no such moment, so the
    # loop reports them when it closes.
    for task in loop._tasks:
        if task._log_traceback:
            task._log_traceback = False
            loop.call_exception_handler({
                'message': 'Task exception was never retrieved',
                'exception': task._exception,
                'future': task,
            })
    loop._tasks = []


# ---------------------------------------------------------------- futures

class Future:
    __module__ = '_asyncio'
    _state = _PENDING
    _result = None
    _exception = None
    _loop = None
    _cancel_message = None
    _cancelled_exc = None
    _asyncio_future_blocking = False
    _log_traceback = False

    def __init__(self, *, loop=None):
        if loop is None:
            self._loop = get_event_loop()
        else:
            self._loop = loop
        self._callbacks = []

    def _state_repr(self):
        if self._state == _FINISHED:
            if self._exception is not None:
                return 'finished exception=%r' % (self._exception,)
            return 'finished result=%r' % (self._result,)
        return self._state.lower()

    def __repr__(self):
        return '<%s %s>' % (self.__class__.__name__, self._state_repr())

    def get_loop(self):
        return self._loop

    def _make_cancelled_error(self):
        if self._cancelled_exc is not None:
            exc = self._cancelled_exc
            self._cancelled_exc = None
            return exc
        if self._cancel_message is None:
            return CancelledError()
        return CancelledError(self._cancel_message)

    def cancel(self, msg=None):
        self._log_traceback = False
        if self._state != _PENDING:
            return False
        self._state = _CANCELLED
        self._cancel_message = msg
        self._schedule_callbacks()
        return True

    def _schedule_callbacks(self):
        callbacks = self._callbacks[:]
        if not callbacks:
            return
        self._callbacks[:] = []
        for callback in callbacks:
            self._loop.call_soon(callback, self)

    def cancelled(self):
        return self._state == _CANCELLED

    def done(self):
        return self._state != _PENDING

    def result(self):
        if self._state == _CANCELLED:
            raise self._make_cancelled_error()
        if self._state != _FINISHED:
            raise InvalidStateError('Result is not set.')
        self._log_traceback = False
        if self._exception is not None:
            raise self._exception
        return self._result

    def exception(self):
        if self._state == _CANCELLED:
            raise self._make_cancelled_error()
        if self._state != _FINISHED:
            raise InvalidStateError('Exception is not set.')
        self._log_traceback = False
        return self._exception

    def add_done_callback(self, fn, *, context=None):
        if self._state != _PENDING:
            self._loop.call_soon(fn, self)
        else:
            self._callbacks.append(fn)

    def remove_done_callback(self, fn):
        filtered = [f for f in self._callbacks if f != fn]
        removed_count = len(self._callbacks) - len(filtered)
        if removed_count:
            self._callbacks[:] = filtered
        return removed_count

    def set_result(self, result):
        if self._state != _PENDING:
            raise InvalidStateError(f'{self._state}: {self!r}')
        self._result = result
        self._state = _FINISHED
        self._schedule_callbacks()

    def set_exception(self, exception):
        if self._state != _PENDING:
            raise InvalidStateError(f'{self._state}: {self!r}')
        if isinstance(exception, type):
            exception = exception()
        if type(exception) is StopIteration:
            raise TypeError("StopIteration interacts badly with generators and cannot be raised into a Future")
        self._exception = exception
        self._state = _FINISHED
        self._schedule_callbacks()
        self._log_traceback = True

    def __await__(self):
        if not self.done():
            self._asyncio_future_blocking = True
            yield self
        if not self.done():
            raise RuntimeError("await wasn't used with future")
        return self.result()

    __iter__ = __await__


def _set_result_unless_cancelled(fut, result):
    if fut.cancelled():
        return
    fut.set_result(result)


def wrap_future(future, *, loop=None):
    """An asyncio Future for a concurrent.futures Future."""
    if isfuture(future):
        return future
    if loop is None:
        loop = get_event_loop()
    new_future = loop.create_future()
    loop._threads_out += 1
    # Made here, on the loop's thread, before the worker can call back.
    loop._callbacks_from_threads()

    def _copy(source):
        loop._threads_out -= 1
        if new_future.cancelled():
            return
        if source.cancelled():
            new_future.cancel()
        elif source.exception() is not None:
            new_future.set_exception(source.exception())
        else:
            new_future.set_result(source.result())

    def _call_back(source):
        # On the worker thread: hand the result to the loop's thread.
        if loop.is_closed():
            return
        loop.call_soon_threadsafe(_copy, source)

    future.add_done_callback(_call_back)
    return new_future


# ---------------------------------------------------------------- tasks

_task_count = [0]
_current_tasks = {}


class Task(Future):
    __module__ = '_asyncio'
    def __init__(self, coro, *, loop=None, name=None, context=None):
        super().__init__(loop=loop)
        if not iscoroutine(coro):
            raise TypeError(f"a coroutine was expected, got {coro!r}")
        if name is None:
            _task_count[0] += 1
            self._name = f'Task-{_task_count[0]}'
        else:
            self._name = str(name)
        self._num_cancels_requested = 0
        self._must_cancel = False
        self._fut_waiter = None
        self._coro = coro
        self._loop.call_soon(self._step)
        self._loop._tasks.append(self)

    def __repr__(self):
        coro = getattr(self._coro, '__qualname__', None) or self._coro.__name__
        where = 'done' if self.done() else 'running'
        info = [self._state_repr().replace('pending', 'pending', 1)]
        return "<Task %s name='%s' coro=<%s() %s>%s>" % (
            self._state_repr().split(' ')[0], self._name, coro, where,
            (' ' + self._state_repr().split(' ', 1)[1]) if ' ' in self._state_repr() else '')

    def get_coro(self):
        return self._coro

    def get_name(self):
        return self._name

    def set_name(self, value):
        self._name = str(value)

    def set_result(self, result):
        raise RuntimeError('Task does not support set_result operation')

    def set_exception(self, exception):
        raise RuntimeError('Task does not support set_exception operation')

    def cancel(self, msg=None):
        self._log_traceback = False
        if self.done():
            return False
        self._num_cancels_requested += 1
        if self._fut_waiter is not None:
            if self._fut_waiter.cancel(msg=msg):
                return True
        self._must_cancel = True
        self._cancel_message = msg
        return True

    def cancelling(self):
        return self._num_cancels_requested

    def uncancel(self):
        if self._num_cancels_requested > 0:
            self._num_cancels_requested -= 1
        return self._num_cancels_requested

    def _step(self, exc=None):
        if self.done():
            raise InvalidStateError(f'_step(): already done: {self!r}, {exc!r}')
        if self._must_cancel:
            if not isinstance(exc, CancelledError):
                exc = self._make_cancelled_error()
            self._must_cancel = False
        coro = self._coro
        self._fut_waiter = None
        _current_tasks[self._loop] = self
        try:
            if exc is None:
                result = coro.send(None)
            else:
                result = coro.throw(exc)
        except StopIteration as exc:
            if self._must_cancel:
                self._must_cancel = False
                Future.cancel(self, msg=self._cancel_message)
            else:
                Future.set_result(self, exc.value)
        except CancelledError as exc:
            self._cancelled_exc = exc
            Future.cancel(self)
        except (KeyboardInterrupt, SystemExit) as exc:
            Future.set_exception(self, exc)
            raise
        except BaseException as exc:
            Future.set_exception(self, exc)
        else:
            blocking = getattr(result, '_asyncio_future_blocking', None)
            if blocking is not None:
                if result._loop is not self._loop:
                    new_exc = RuntimeError(f'Task {self!r} got Future {result!r} attached to a different loop')
                    self._loop.call_soon(self._step, new_exc)
                elif blocking:
                    if result is self:
                        new_exc = RuntimeError(f'Task cannot await on itself: {self!r}')
                        self._loop.call_soon(self._step, new_exc)
                    else:
                        result._asyncio_future_blocking = False
                        result.add_done_callback(self._wakeup)
                        self._fut_waiter = result
                        if self._must_cancel:
                            if self._fut_waiter.cancel(msg=self._cancel_message):
                                self._must_cancel = False
                else:
                    new_exc = RuntimeError(f'yield was used instead of yield from in task {self!r} with {result!r}')
                    self._loop.call_soon(self._step, new_exc)
            elif result is None:
                self._loop.call_soon(self._step)
            else:
                new_exc = RuntimeError(f'Task got bad yield: {result!r}')
                self._loop.call_soon(self._step, new_exc)
        finally:
            _current_tasks.pop(self._loop, None)
            self = None

    def _wakeup(self, future):
        try:
            future.result()
        except BaseException as exc:
            self._step(exc)
        else:
            self._step()
        self = None


def create_task(coro, *, name=None, context=None):
    loop = get_running_loop()
    return loop.create_task(coro, name=name)


def current_task(loop=None):
    if loop is None:
        loop = get_running_loop()
    return _current_tasks.get(loop)


def all_tasks(loop=None):
    if loop is None:
        loop = get_running_loop()
    return {t for t in loop._tasks if not t.done()}


def ensure_future(coro_or_future, *, loop=None):
    if isfuture(coro_or_future):
        if loop is not None and loop is not coro_or_future._loop:
            raise ValueError('The future belongs to a different loop than the one specified as the loop argument')
        return coro_or_future
    if iscoroutine(coro_or_future):
        if loop is None:
            loop = get_event_loop()
        return loop.create_task(coro_or_future)
    if hasattr(coro_or_future, '__await__'):
        return ensure_future(_wrap_awaitable(coro_or_future), loop=loop)
    raise TypeError('An asyncio.Future, a coroutine or an awaitable is required')


async def _wrap_awaitable(awaitable):
    return await awaitable


class _Sleep0:
    # A bare yield: the task goes to the back of the ready queue.
    def __await__(self):
        yield


async def sleep(delay, result=None):
    if delay <= 0:
        await _Sleep0()
        return result
    loop = get_running_loop()
    future = loop.create_future()
    h = loop.call_later(delay, _set_result_unless_cancelled, future, result)
    try:
        return await future
    finally:
        h.cancel()


class _GatheringFuture(Future):
    __module__ = 'asyncio.tasks'
    def __init__(self, children, *, loop):
        super().__init__(loop=loop)
        self._children = children
        self._cancel_requested = False

    def cancel(self, msg=None):
        if self.done():
            return False
        ret = False
        for child in self._children:
            if child.cancel(msg=msg):
                ret = True
        if ret:
            self._cancel_requested = True
        return ret


def gather(*coros_or_futures, return_exceptions=False):
    if not coros_or_futures:
        loop = get_event_loop()
        outer = loop.create_future()
        outer.set_result([])
        return outer

    nfuts = 0
    nfinished = 0
    children = []
    arg_to_fut = {}
    loop = None
    outer = None

    def _done_callback(fut):
        nonlocal nfinished
        nfinished += 1
        if outer is None or outer.done():
            if not fut.cancelled():
                fut.exception()
            return
        if not return_exceptions:
            if fut.cancelled():
                exc = fut._make_cancelled_error()
                outer.set_exception(exc)
                return
            else:
                exc = fut.exception()
                if exc is not None:
                    outer.set_exception(exc)
                    return
        if nfinished == nfuts:
            results = []
            for fut in children:
                if fut.cancelled():
                    res = CancelledError('' if fut._cancel_message is None else fut._cancel_message)
                else:
                    res = fut.exception()
                    if res is None:
                        res = fut.result()
                results.append(res)
            if outer._cancel_requested:
                exc = fut._make_cancelled_error()
                outer.set_exception(exc)
            else:
                outer.set_result(results)

    for arg in coros_or_futures:
        if arg not in arg_to_fut:
            fut = ensure_future(arg, loop=loop)
            if loop is None:
                loop = fut._loop
            nfuts += 1
            arg_to_fut[arg] = fut
            fut.add_done_callback(_done_callback)
        else:
            fut = arg_to_fut[arg]
        children.append(fut)

    outer = _GatheringFuture(children, loop=loop)
    return outer


def _release_waiter(waiter, *args):
    if not waiter.done():
        waiter.set_result(None)


async def _cancel_and_wait(fut):
    loop = get_running_loop()
    waiter = loop.create_future()
    cb = lambda f: _release_waiter(waiter)
    fut.add_done_callback(cb)
    try:
        fut.cancel()
        await waiter
    finally:
        fut.remove_done_callback(cb)


async def wait_for(fut, timeout):
    loop = get_running_loop()
    if timeout is None:
        return await fut
    if timeout <= 0:
        fut = ensure_future(fut, loop=loop)
        if fut.done():
            return fut.result()
        await _cancel_and_wait(fut)
        try:
            return fut.result()
        except CancelledError as exc:
            raise TimeoutError() from exc
    waiter = loop.create_future()
    timeout_handle = loop.call_later(timeout, _release_waiter, waiter)
    cb = lambda f: _release_waiter(waiter)
    fut = ensure_future(fut, loop=loop)
    fut.add_done_callback(cb)
    try:
        try:
            await waiter
        except CancelledError:
            if fut.done():
                return fut.result()
            else:
                fut.remove_done_callback(cb)
                await _cancel_and_wait(fut)
                raise
        if fut.done():
            return fut.result()
        else:
            fut.remove_done_callback(cb)
            await _cancel_and_wait(fut)
            try:
                return fut.result()
            except CancelledError as exc:
                raise TimeoutError() from exc
    finally:
        timeout_handle.cancel()


async def wait(fs, *, timeout=None, return_when=ALL_COMPLETED):
    if isfuture(fs) or iscoroutine(fs):
        raise TypeError(f"expect a list of futures, not {type(fs).__name__}")
    if not fs:
        raise ValueError('Set of Tasks/Futures is empty.')
    if return_when not in (FIRST_COMPLETED, FIRST_EXCEPTION, ALL_COMPLETED):
        raise ValueError(f'Invalid return_when value: {return_when}')
    fs = set(fs)
    if any(iscoroutine(f) for f in fs):
        raise TypeError("Passing coroutines is forbidden, use tasks explicitly.")
    loop = get_running_loop()
    waiter = loop.create_future()
    timeout_handle = None
    if timeout is not None:
        timeout_handle = loop.call_later(timeout, _release_waiter, waiter)
    counter = len(fs)

    def _on_completion(f):
        nonlocal counter
        counter -= 1
        if (counter <= 0 or return_when == FIRST_COMPLETED or
                return_when == FIRST_EXCEPTION and (not f.cancelled() and f.exception() is not None)):
            if timeout_handle is not None:
                timeout_handle.cancel()
            if not waiter.done():
                waiter.set_result(None)

    for f in fs:
        f.add_done_callback(_on_completion)
    try:
        await waiter
    finally:
        if timeout_handle is not None:
            timeout_handle.cancel()
        for f in fs:
            f.remove_done_callback(_on_completion)
    done, pending = set(), set()
    for f in fs:
        if f.done():
            done.add(f)
        else:
            pending.add(f)
    return done, pending


def as_completed(fs, *, timeout=None):
    if isfuture(fs) or iscoroutine(fs):
        raise TypeError(f"expect an iterable of futures, not {type(fs).__name__}")
    loop = get_event_loop()
    todo = {ensure_future(f, loop=loop) for f in set(fs)}
    done = Queue()
    timeout_handle = None

    def _on_timeout():
        for f in todo:
            f.remove_done_callback(_on_completion)
            done.put_nowait(None)
        todo.clear()

    def _on_completion(f):
        if not todo:
            return
        todo.remove(f)
        done.put_nowait(f)
        if not todo and timeout_handle is not None:
            timeout_handle.cancel()

    async def _wait_for_one():
        f = await done.get()
        if f is None:
            raise TimeoutError
        return f.result()

    for f in todo:
        f.add_done_callback(_on_completion)
    if todo and timeout is not None:
        timeout_handle = loop.call_later(timeout, _on_timeout)
    for _ in range(len(todo)):
        yield _wait_for_one()


def shield(arg):
    inner = ensure_future(arg)
    if inner.done():
        return inner
    loop = inner._loop
    outer = loop.create_future()

    def _inner_done_callback(inner):
        if outer.cancelled():
            if not inner.cancelled():
                inner.exception()
            return
        if inner.cancelled():
            outer.cancel()
        else:
            exc = inner.exception()
            if exc is not None:
                outer.set_exception(exc)
            else:
                outer.set_result(inner.result())

    def _outer_done_callback(outer):
        if not inner.done():
            inner.remove_done_callback(_inner_done_callback)

    inner.add_done_callback(_inner_done_callback)
    outer.add_done_callback(_outer_done_callback)
    return outer


async def to_thread(func, *args, **kwargs):
    loop = get_running_loop()
    if kwargs:
        return await loop.run_in_executor(None, lambda: func(*args, **kwargs))
    return await loop.run_in_executor(None, func, *args)


class Timeout:
    __module__ = 'asyncio.timeouts'
    """asyncio.timeout(delay) and timeout_at(when), new in 3.11."""

    def __init__(self, when):
        self._when = when
        self._state = 'created'
        self._timeout_handler = None
        self._task = None

    def when(self):
        return self._when

    def reschedule(self, when):
        if self._timeout_handler is not None:
            self._timeout_handler.cancel()
        self._when = when
        if when is None:
            self._timeout_handler = None
        else:
            loop = get_running_loop()
            if when <= loop.time():
                self._timeout_handler = loop.call_soon(self._on_timeout)
            else:
                self._timeout_handler = loop.call_at(when, self._on_timeout)

    def expired(self):
        return self._state in ('expiring', 'expired')

    async def __aenter__(self):
        self._state = 'entered'
        self._task = current_task()
        if self._task is None:
            raise RuntimeError("Timeout should be used inside a task")
        self.reschedule(self._when)
        return self

    async def __aexit__(self, exc_type, exc_val, exc_tb):
        if self._timeout_handler is not None:
            self._timeout_handler.cancel()
            self._timeout_handler = None
        if self._state == 'expiring':
            self._state = 'expired'
            if self._task.uncancel() == 0 and exc_type is CancelledError:
                raise TimeoutError from exc_val
        elif self._state == 'entered':
            self._state = 'exited'
        return None

    def _on_timeout(self):
        self._task.cancel()
        self._state = 'expiring'
        self._timeout_handler = None


def timeout(delay):
    loop = get_running_loop()
    return Timeout(loop.time() + delay if delay is not None else None)


def timeout_at(when):
    return Timeout(when)


# ---------------------------------------------------------------- running

def _cancel_all_tasks(loop):
    to_cancel = all_tasks(loop)
    if not to_cancel:
        return
    to_cancel = [t for t in loop._tasks if t in to_cancel]
    for task in to_cancel:
        task.cancel()
    loop.run_until_complete(gather(*to_cancel, return_exceptions=True))
    for task in to_cancel:
        if task.cancelled():
            continue
        if task.exception() is not None:
            loop.call_exception_handler({
                'message': 'unhandled exception during asyncio.run() shutdown',
                'exception': task.exception(),
                'task': task,
            })


class Runner:
    __module__ = 'asyncio.runners'
    def __init__(self, *, debug=None, loop_factory=None):
        self._loop_factory = loop_factory
        self._loop = None
        self._closed = False

    def __enter__(self):
        self._lazy_init()
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.close()

    def get_loop(self):
        self._lazy_init()
        return self._loop

    def _lazy_init(self):
        if self._closed:
            raise RuntimeError("Runner is closed")
        if self._loop is None:
            if self._loop_factory is None:
                self._loop = new_event_loop()
                set_event_loop(self._loop)
            else:
                self._loop = self._loop_factory()

    def run(self, coro, *, context=None):
        if not iscoroutine(coro):
            raise ValueError("a coroutine was expected, got {!r}".format(coro))
        if _get_running_loop() is not None:
            raise RuntimeError("Runner.run() cannot be called from a running event loop")
        self._lazy_init()
        task = self._loop.create_task(coro)
        return self._loop.run_until_complete(task)

    def close(self):
        if self._closed or self._loop is None:
            self._closed = True
            return
        loop = self._loop
        try:
            _cancel_all_tasks(loop)
            loop.run_until_complete(loop.shutdown_asyncgens())
            loop.run_until_complete(loop.shutdown_default_executor())
        finally:
            if self._loop_factory is None:
                set_event_loop(None)
            loop.close()
            self._loop = None
            self._closed = True


def run(main, *, debug=None):
    if _get_running_loop() is not None:
        raise RuntimeError("asyncio.run() cannot be called from a running event loop")
    with Runner(debug=debug) as runner:
        return runner.run(main)


# ---------------------------------------------------------------- queues

class Queue:
    __module__ = 'asyncio.queues'
    def __init__(self, maxsize=0):
        self._maxsize = maxsize
        self._getters = _deque()
        self._putters = _deque()
        self._unfinished_tasks = 0
        self._finished = Event()
        self._finished.set()
        self._init(maxsize)

    def _init(self, maxsize):
        self._queue = _deque()

    def _get(self):
        return self._queue.popleft()

    def _put(self, item):
        self._queue.append(item)

    def _wakeup_next(self, waiters):
        while waiters:
            waiter = waiters.popleft()
            if not waiter.done():
                waiter.set_result(None)
                break

    def __repr__(self):
        result = f'maxsize={self._maxsize!r}'
        if getattr(self, '_queue', None):
            result += f' _queue={list(self._queue)!r}'
        if self._getters:
            result += f' _getters[{len(self._getters)}]'
        if self._putters:
            result += f' _putters[{len(self._putters)}]'
        if self._unfinished_tasks:
            result += f' tasks={self._unfinished_tasks}'
        return f'<{type(self).__name__} {result}>'

    def qsize(self):
        return len(self._queue)

    @property
    def maxsize(self):
        return self._maxsize

    def empty(self):
        return not self._queue

    def full(self):
        if self._maxsize <= 0:
            return False
        else:
            return self.qsize() >= self._maxsize

    async def _wait_in(self, waiters, blocked):
        # Waits in line (the putters or the getters) to be woken; a waiter
        # cancelled after it was woken passes the wake-up on.
        waiter = get_running_loop().create_future()
        waiters.append(waiter)
        try:
            await waiter
        except:
            waiter.cancel()
            try:
                waiters.remove(waiter)
            except ValueError:
                pass
            if not blocked() and not waiter.cancelled():
                self._wakeup_next(waiters)
            raise

    async def put(self, item):
        while self.full():
            await self._wait_in(self._putters, self.full)
        return self.put_nowait(item)

    def put_nowait(self, item):
        if self.full():
            raise QueueFull
        self._put(item)
        self._unfinished_tasks += 1
        self._finished.clear()
        self._wakeup_next(self._getters)

    async def get(self):
        while self.empty():
            await self._wait_in(self._getters, self.empty)
        return self.get_nowait()

    def get_nowait(self):
        if self.empty():
            raise QueueEmpty
        item = self._get()
        self._wakeup_next(self._putters)
        return item

    def task_done(self):
        if self._unfinished_tasks <= 0:
            raise ValueError('task_done() called too many times')
        self._unfinished_tasks -= 1
        if self._unfinished_tasks == 0:
            self._finished.set()

    async def join(self):
        if self._unfinished_tasks > 0:
            await self._finished.wait()


class PriorityQueue(Queue):
    __module__ = 'asyncio.queues'
    def _init(self, maxsize):
        self._queue = []

    def _put(self, item):
        _heapq.heappush(self._queue, item)

    def _get(self):
        return _heapq.heappop(self._queue)


class LifoQueue(Queue):
    __module__ = 'asyncio.queues'
    def _init(self, maxsize):
        self._queue = []

    def _put(self, item):
        self._queue.append(item)

    def _get(self):
        return self._queue.pop()


# ---------------------------------------------------------------- locks

class _ContextManagerMixin:
    async def __aenter__(self):
        await self.acquire()
        return None

    async def __aexit__(self, exc_type, exc, tb):
        self.release()


def _nothing(fut):
    pass


class _Waiters:
    # What Lock, Event and Semaphore share: their repr, and waiting in
    # line for a wake-up (`on_cancel(fut)` runs when the wait is cancelled,
    # before the CancelledError goes on).
    _waiters = None

    def _repr(self, extra):
        if self._waiters:
            extra = f'{extra}, waiters:{len(self._waiters)}'
        return f'<{type(self).__module__}.{type(self).__qualname__} object at {id(self):#x} [{extra}]>'

    async def _wait_turn(self, on_cancel):
        if self._waiters is None:
            self._waiters = _deque()
        fut = get_running_loop().create_future()
        self._waiters.append(fut)
        try:
            try:
                await fut
            finally:
                self._waiters.remove(fut)
        except CancelledError:
            on_cancel(fut)
            raise


class Lock(_ContextManagerMixin, _Waiters):
    __module__ = 'asyncio.locks'
    def __init__(self):
        self._waiters = None
        self._locked = False

    def __repr__(self):
        return self._repr('locked' if self._locked else 'unlocked')

    def locked(self):
        return self._locked

    async def acquire(self):
        if (not self._locked and (self._waiters is None or all(w.cancelled() for w in self._waiters))):
            self._locked = True
            return True
        def cancelled(fut):
            if not self._locked:
                self._wake_up_first()

        await self._wait_turn(cancelled)
        self._locked = True
        return True

    def release(self):
        if self._locked:
            self._locked = False
            self._wake_up_first()
        else:
            raise RuntimeError('Lock is not acquired.')

    def _wake_up_first(self):
        if not self._waiters:
            return
        fut = self._waiters[0]
        if not fut.done():
            fut.set_result(True)


class Event(_Waiters):
    __module__ = 'asyncio.locks'
    def __init__(self):
        self._waiters = _deque()
        self._value = False

    def __repr__(self):
        return self._repr('set' if self._value else 'unset')

    def is_set(self):
        return self._value

    def set(self):
        if not self._value:
            self._value = True
            for fut in self._waiters:
                if not fut.done():
                    fut.set_result(True)

    def clear(self):
        self._value = False

    async def wait(self):
        if self._value:
            return True
        await self._wait_turn(_nothing)
        return True


class Condition(_ContextManagerMixin, _Waiters):
    __module__ = 'asyncio.locks'
    def __init__(self, lock=None):
        if lock is None:
            lock = Lock()
        self._lock = lock
        self.locked = lock.locked
        self.acquire = lock.acquire
        self.release = lock.release
        self._waiters = _deque()

    async def wait(self):
        if not self.locked():
            raise RuntimeError('cannot wait on un-acquired lock')
        self.release()
        try:
            await self._wait_turn(_nothing)
            return True
        finally:
            err = None
            while True:
                try:
                    await self.acquire()
                    break
                except CancelledError as e:
                    err = e
            if err is not None:
                try:
                    raise err
                finally:
                    err = None

    async def wait_for(self, predicate):
        result = predicate()
        while not result:
            await self.wait()
            result = predicate()
        return result

    def notify(self, n=1):
        if not self.locked():
            raise RuntimeError('cannot notify on un-acquired lock')
        idx = 0
        for fut in self._waiters:
            if idx >= n:
                break
            if not fut.done():
                idx += 1
                fut.set_result(False)

    def notify_all(self):
        self.notify(len(self._waiters))


class Semaphore(_ContextManagerMixin, _Waiters):
    __module__ = 'asyncio.locks'
    def __init__(self, value=1):
        if value < 0:
            raise ValueError("Semaphore initial value must be >= 0")
        self._waiters = None
        self._value = value

    def __repr__(self):
        return self._repr('locked' if self.locked() else f'unlocked, value:{self._value}')

    def locked(self):
        return self._value == 0 or (any(not w.cancelled() for w in (self._waiters or ())))

    async def acquire(self):
        if not self.locked():
            self._value -= 1
            return True
        def cancelled(fut):
            if not fut.cancelled():
                self._value += 1
                self._wake_up_next()

        await self._wait_turn(cancelled)
        if self._value > 0:
            self._wake_up_next()
        return True

    def release(self):
        self._value += 1
        self._wake_up_next()

    def _wake_up_next(self):
        if not self._waiters:
            return False
        for fut in self._waiters:
            if not fut.done():
                self._value -= 1
                fut.set_result(True)
                return True
        return False


class BoundedSemaphore(Semaphore):
    __module__ = 'asyncio.locks'
    def __init__(self, value=1):
        self._bound_value = value
        super().__init__(value)

    def release(self):
        if self._value >= self._bound_value:
            raise ValueError('BoundedSemaphore released too many times')
        super().release()


# ------------------------------------------------------------------ streams


def _fileno(fd):
    if isinstance(fd, int):
        return fd
    return fd.fileno()


def _wake(fut):
    # A reader's or writer's callback: the poll says so on every turn of
    # the loop until the waiting task removes it.
    if not fut.done():
        fut.set_result(None)


async def _wait_fd(loop, sock, read):
    # Waits until the loop's poll says `sock` is readable (or writable).
    fut = loop.create_future()
    fd = sock.fileno()
    if read:
        loop.add_reader(fd, _wake, fut)
    else:
        loop.add_writer(fd, _wake, fut)
    try:
        await fut
    finally:
        if read:
            loop.remove_reader(fd)
        else:
            loop.remove_writer(fd)


class IncompleteReadError(EOFError):
    def __init__(self, partial, expected):
        r_expected = 'undefined' if expected is None else repr(expected)
        super().__init__(f'{len(partial)} bytes read on a total of {r_expected} expected bytes')
        self.partial = partial
        self.expected = expected


class LimitOverrunError(Exception):
    def __init__(self, message, consumed):
        super().__init__(message)
        self.consumed = consumed


class StreamReader:
    def __init__(self, sock=None, loop=None):
        self._sock = sock
        self._loop = loop if loop is not None else get_event_loop()
        self._buffer = b''
        self._eof = False

    def __repr__(self):
        info = ['StreamReader']
        if self._buffer:
            info.append(f'{len(self._buffer)} bytes')
        if self._eof:
            info.append('eof')
        return '<{}>'.format(' '.join(info))

    def at_eof(self):
        return self._eof and not self._buffer

    def feed_data(self, data):
        self._buffer += data

    def feed_eof(self):
        self._eof = True

    async def _fill(self):
        # One read of what has arrived, waiting in the loop until some has.
        try:
            data = await self._loop.sock_recv(self._sock, 65536)
        except ConnectionResetError:
            self._eof = True
            raise
        if data:
            self._buffer += data
        else:
            self._eof = True

    async def read(self, n=-1):
        if n == 0:
            return b''
        if n < 0:
            while not self._eof:
                await self._fill()
            data, self._buffer = self._buffer, b''
            return data
        if not self._buffer and not self._eof:
            await self._fill()
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data

    async def readline(self):
        try:
            return await self.readuntil(b'\n')
        except IncompleteReadError as e:
            return e.partial

    async def readuntil(self, separator=b'\n'):
        if not separator:
            raise ValueError('Separator should be at least one-byte string')
        while separator not in self._buffer:
            if self._eof:
                chunk, self._buffer = self._buffer, b''
                raise IncompleteReadError(chunk, None)
            await self._fill()
        end = self._buffer.find(separator) + len(separator)
        data, self._buffer = self._buffer[:end], self._buffer[end:]
        return data

    async def readexactly(self, n):
        if n < 0:
            raise ValueError('readexactly size can not be less than zero')
        while len(self._buffer) < n:
            if self._eof:
                chunk, self._buffer = self._buffer, b''
                raise IncompleteReadError(chunk, n)
            await self._fill()
        data, self._buffer = self._buffer[:n], self._buffer[n:]
        return data

    def __aiter__(self):
        return self

    async def __anext__(self):
        line = await self.readline()
        if line == b'':
            raise StopAsyncIteration
        return line


class StreamWriter:
    def __init__(self, sock, reader, loop):
        self._sock = sock
        self._reader = reader
        self._loop = loop
        self._pending = b''
        self._closing = False
        self._closed = False
        self._drained = []
        self._closed_waiters = []

    def __repr__(self):
        return '<StreamWriter transport=<_SelectorSocketTransport fd=%d>>' % self._sock.fileno()

    @property
    def transport(self):
        return self

    def get_extra_info(self, name, default=None):
        try:
            if name == 'peername':
                return self._sock.getpeername()
            if name == 'sockname':
                return self._sock.getsockname()
        except OSError:
            return default
        if name == 'socket':
            return self._sock
        return default

    def write(self, data):
        if self._closing:
            return
        if not self._pending:
            try:
                n = self._sock.send(data)
            except BlockingIOError:
                n = 0
            except (BrokenPipeError, ConnectionResetError):
                # The peer is gone: CPython's transport closes itself.
                self._finish()
                return
            data = data[n:]
            if not data:
                return
            self._loop.add_writer(self._sock.fileno(), self._flush)
        self._pending += data

    def writelines(self, lines):
        for line in lines:
            self.write(line)

    def _flush(self):
        try:
            n = self._sock.send(self._pending)
        except BlockingIOError:
            return
        except (BrokenPipeError, ConnectionResetError):
            n = len(self._pending)
        self._pending = self._pending[n:]
        if not self._pending:
            self._loop.remove_writer(self._sock.fileno())
            for fut in self._drained:
                _set_result_unless_cancelled(fut, None)
            self._drained = []
            if self._closing:
                self._finish()

    async def drain(self):
        if self._pending:
            fut = self._loop.create_future()
            self._drained.append(fut)
            await fut
        else:
            await sleep(0)

    def can_write_eof(self):
        return True

    def write_eof(self):
        self._sock.shutdown(1)

    def is_closing(self):
        return self._closing

    def close(self):
        if self._closing:
            return
        self._closing = True
        if not self._pending:
            # As CPython's transport, the socket closes in the loop's next
            # turn.
            self._loop.call_soon(self._finish)

    def _finish(self):
        # CPython's connection_lost(): the socket closes, and whoever waits
        # in wait_closed() goes on in the loop's next turn.
        self._closing = True
        if not self._closed:
            self._closed = True
            self._loop.remove_writer(self._sock.fileno())
            self._loop.remove_reader(self._sock.fileno())
            self._sock.close()
            for fut in self._closed_waiters:
                _set_result_unless_cancelled(fut, None)
            self._closed_waiters = []

    async def wait_closed(self):
        if not self._closed:
            fut = self._loop.create_future()
            self._closed_waiters.append(fut)
            await fut


async def open_connection(host=None, port=None, *, limit=2 ** 16, **kwds):
    import socket as _socket
    loop = get_running_loop()
    sock = _socket.socket()
    sock.setblocking(False)
    try:
        # (No await inside the except: the wait is after it.)
        in_progress = False
        try:
            sock.connect((host, port))
        except BlockingIOError as e:
            if e.errno != 115:
                raise
            in_progress = True
        if in_progress:
            await _wait_fd(loop, sock, False)
            err = sock.getsockopt(_socket.SOL_SOCKET, _socket.SO_ERROR)
            if err == 111:
                raise ConnectionRefusedError(111, 'Connect call failed %s' % ((('127.0.0.1' if host == 'localhost' else host), port),))
            if err:
                raise OSError(err, 'Connect call failed %s' % ((host, port),))
    except BaseException:
        sock.close()
        raise
    reader = StreamReader(sock, loop)
    return reader, StreamWriter(sock, reader, loop)


class Server:
    def __init__(self, loop, sockets, client_connected_cb, backlog):
        self._loop = loop
        self._sockets = sockets
        self._cb = client_connected_cb
        self._backlog = backlog
        self._serving = False
        self._serving_forever_fut = None

    def __repr__(self):
        return f'<Server sockets={tuple(self.sockets)!r}>'

    @property
    def sockets(self):
        return list(self._sockets or ())

    def get_loop(self):
        return self._loop

    def is_serving(self):
        return self._serving

    def _start_serving(self):
        if self._serving:
            return
        self._serving = True
        for sock in self._sockets:
            self._loop.add_reader(sock.fileno(), self._accept, sock)

    def _accept(self, listener):
        for _ in range(self._backlog):
            try:
                conn, addr = listener.accept()
            except BlockingIOError:
                return
            except OSError:
                return
            conn.setblocking(False)
            reader = StreamReader(conn, self._loop)
            writer = StreamWriter(conn, reader, self._loop)
            res = self._cb(reader, writer)
            if iscoroutine(res):
                self._loop.create_task(res)

    async def start_serving(self):
        self._start_serving()
        await sleep(0)

    def close(self):
        sockets = self._sockets
        if sockets is None:
            return
        self._sockets = None
        for sock in sockets:
            self._loop.remove_reader(sock.fileno())
            sock.close()
        self._serving = False
        fut = self._serving_forever_fut
        if fut is not None and not fut.done():
            fut.cancel()
            self._serving_forever_fut = None

    async def wait_closed(self):
        return

    async def serve_forever(self):
        if self._serving_forever_fut is not None:
            raise RuntimeError(f'server {self!r} is already being awaited on serve_forever()')
        if self._sockets is None:
            raise RuntimeError(f'server {self!r} is closed')
        self._start_serving()
        self._serving_forever_fut = self._loop.create_future()
        try:
            await self._serving_forever_fut
        except CancelledError:
            try:
                self.close()
                await self.wait_closed()
            finally:
                raise
        finally:
            self._serving_forever_fut = None

    async def __aenter__(self):
        return self

    async def __aexit__(self, *exc):
        self.close()
        await self.wait_closed()


async def start_server(client_connected_cb, host=None, port=None, *, limit=2 ** 16, backlog=100, start_serving=True, **kwds):
    import socket as _socket
    loop = get_running_loop()
    sock = _socket.socket()
    try:
        sock.setsockopt(_socket.SOL_SOCKET, _socket.SO_REUSEADDR, 1)
        try:
            sock.bind(('' if host is None else host, port or 0))
        except OSError as err:
            msg = 'error while attempting to bind on address %r: %s' % ((host, port), err.strerror.lower())
            raise OSError(err.errno, msg) from None
        sock.listen(backlog)
        sock.setblocking(False)
    except BaseException:
        sock.close()
        raise
    server = Server(loop, [sock], client_connected_cb, backlog)
    if start_serving:
        server._start_serving()
        await sleep(0)
    return server

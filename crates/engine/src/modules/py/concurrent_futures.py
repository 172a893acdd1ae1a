# concurrent.futures for Interleave, written in Python on top of the
# engine's threading and queue (which run on virtual threads). It follows
# CPython 3.11's concurrent/futures/_base.py and thread.py closely, so
# thread names, worker creation and result order match.
import threading
import queue
import os

FIRST_COMPLETED = 'FIRST_COMPLETED'
FIRST_EXCEPTION = 'FIRST_EXCEPTION'
ALL_COMPLETED = 'ALL_COMPLETED'

_PENDING = 'PENDING'
_RUNNING = 'RUNNING'
_CANCELLED = 'CANCELLED'
_CANCELLED_AND_NOTIFIED = 'CANCELLED_AND_NOTIFIED'
_FINISHED = 'FINISHED'

_STATE_TO_DESCRIPTION_MAP = {
    _PENDING: "pending",
    _RUNNING: "running",
    _CANCELLED: "cancelled",
    _CANCELLED_AND_NOTIFIED: "cancelled",
    _FINISHED: "finished",
}


class Error(Exception):
    pass


class CancelledError(Error):
    pass


TimeoutError = TimeoutError


class InvalidStateError(Error):
    pass


class BrokenExecutor(RuntimeError):
    pass


class Future:
    def __init__(self):
        self._condition = threading.Condition()
        self._state = _PENDING
        self._result = None
        self._exception = None
        self._waiters = []
        self._done_callbacks = []

    def _invoke_callbacks(self):
        for callback in self._done_callbacks:
            try:
                callback(self)
            except Exception:
                pass

    def __repr__(self):
        with self._condition:
            if self._state == _FINISHED:
                if self._exception:
                    return '<%s at %#x state=%s raised %s>' % (
                        self.__class__.__name__, id(self),
                        _STATE_TO_DESCRIPTION_MAP[self._state],
                        self._exception.__class__.__name__)
                else:
                    return '<%s at %#x state=%s returned %s>' % (
                        self.__class__.__name__, id(self),
                        _STATE_TO_DESCRIPTION_MAP[self._state],
                        self._result.__class__.__name__)
            return '<%s at %#x state=%s>' % (
                self.__class__.__name__, id(self),
                _STATE_TO_DESCRIPTION_MAP[self._state])

    def cancel(self):
        with self._condition:
            if self._state in [_RUNNING, _FINISHED]:
                return False
            if self._state in [_CANCELLED, _CANCELLED_AND_NOTIFIED]:
                return True
            self._state = _CANCELLED
            self._condition.notify_all()
        self._invoke_callbacks()
        return True

    def cancelled(self):
        with self._condition:
            return self._state in [_CANCELLED, _CANCELLED_AND_NOTIFIED]

    def running(self):
        with self._condition:
            return self._state == _RUNNING

    def done(self):
        with self._condition:
            return self._state in [_CANCELLED, _CANCELLED_AND_NOTIFIED, _FINISHED]

    def _get_result(self):
        if self._exception:
            raise self._exception
        else:
            return self._result

    def add_done_callback(self, fn):
        with self._condition:
            if self._state not in [_CANCELLED, _CANCELLED_AND_NOTIFIED, _FINISHED]:
                self._done_callbacks.append(fn)
                return
        fn(self)

    def result(self, timeout=None):
        with self._condition:
            if self._state in [_CANCELLED, _CANCELLED_AND_NOTIFIED]:
                raise CancelledError()
            elif self._state == _FINISHED:
                return self._get_result()
            self._condition.wait(timeout)
            if self._state in [_CANCELLED, _CANCELLED_AND_NOTIFIED]:
                raise CancelledError()
            elif self._state == _FINISHED:
                return self._get_result()
            else:
                raise TimeoutError()

    def exception(self, timeout=None):
        with self._condition:
            if self._state in [_CANCELLED, _CANCELLED_AND_NOTIFIED]:
                raise CancelledError()
            elif self._state == _FINISHED:
                return self._exception
            self._condition.wait(timeout)
            if self._state in [_CANCELLED, _CANCELLED_AND_NOTIFIED]:
                raise CancelledError()
            elif self._state == _FINISHED:
                return self._exception
            else:
                raise TimeoutError()

    def set_running_or_notify_cancel(self):
        with self._condition:
            if self._state == _CANCELLED:
                self._state = _CANCELLED_AND_NOTIFIED
                for waiter in self._waiters:
                    waiter.add_cancelled(self)
                return False
            elif self._state == _PENDING:
                self._state = _RUNNING
                return True
            else:
                raise RuntimeError('Future in unexpected state')

    def set_result(self, result):
        with self._condition:
            if self._state in {_CANCELLED, _CANCELLED_AND_NOTIFIED, _FINISHED}:
                raise InvalidStateError('{}: {!r}'.format(self._state, self))
            self._result = result
            self._state = _FINISHED
            for waiter in self._waiters:
                waiter.add_result(self)
            self._condition.notify_all()
        self._invoke_callbacks()

    def set_exception(self, exception):
        with self._condition:
            if self._state in {_CANCELLED, _CANCELLED_AND_NOTIFIED, _FINISHED}:
                raise InvalidStateError('{}: {!r}'.format(self._state, self))
            self._exception = exception
            self._state = _FINISHED
            for waiter in self._waiters:
                waiter.add_exception(self)
            self._condition.notify_all()
        self._invoke_callbacks()


class _Waiter:
    def __init__(self, kind, pending):
        self.event = threading.Event()
        self.finished_futures = []
        self.kind = kind
        self.pending = pending

    def _done(self, future):
        self.finished_futures.append(future)
        self.pending -= 1
        if self.kind == ALL_COMPLETED:
            if self.pending <= 0:
                self.event.set()
        elif self.kind == FIRST_EXCEPTION:
            if future._exception is not None or self.pending <= 0:
                self.event.set()
        else:
            self.event.set()

    def add_result(self, future):
        self._done(future)

    def add_exception(self, future):
        self._done(future)

    def add_cancelled(self, future):
        self._done(future)


def as_completed(fs, timeout=None):
    fs = list(dict.fromkeys(fs))
    finished = [f for f in fs if f._state in [_CANCELLED_AND_NOTIFIED, _FINISHED]]
    pending = [f for f in fs if f not in finished]
    for f in finished:
        yield f
    while pending:
        waiter = _Waiter(FIRST_COMPLETED, len(pending))
        for f in pending:
            with f._condition:
                if f._state in [_CANCELLED_AND_NOTIFIED, _FINISHED]:
                    waiter._done(f)
                else:
                    f._waiters.append(waiter)
        if not waiter.event.wait(timeout):
            if not waiter.finished_futures:
                raise TimeoutError('%d (of %d) futures unfinished' % (len(pending), len(fs)))
        for f in pending:
            with f._condition:
                if waiter in f._waiters:
                    f._waiters.remove(waiter)
        for f in waiter.finished_futures:
            if f in pending:
                pending.remove(f)
                yield f


class DoneAndNotDoneFutures:
    def __init__(self, done, not_done):
        self.done = done
        self.not_done = not_done

    def __iter__(self):
        return iter((self.done, self.not_done))

    def __repr__(self):
        return 'DoneAndNotDoneFutures(done=%r, not_done=%r)' % (self.done, self.not_done)


def wait(fs, timeout=None, return_when=ALL_COMPLETED):
    fs = list(fs)
    done = [f for f in fs if f._state in [_CANCELLED_AND_NOTIFIED, _FINISHED]]
    not_done = [f for f in fs if f not in done]
    if return_when == FIRST_COMPLETED and done:
        return DoneAndNotDoneFutures(set(done), set(not_done))
    if return_when == FIRST_EXCEPTION and [f for f in done if not f.cancelled() and f.exception() is not None]:
        return DoneAndNotDoneFutures(set(done), set(not_done))
    if len(done) == len(fs):
        return DoneAndNotDoneFutures(set(done), set(not_done))
    waiter = _Waiter(return_when, len(not_done))
    for f in not_done:
        with f._condition:
            if f._state in [_CANCELLED_AND_NOTIFIED, _FINISHED]:
                waiter._done(f)
            else:
                f._waiters.append(waiter)
    waiter.event.wait(timeout)
    for f in fs:
        with f._condition:
            if waiter in f._waiters:
                f._waiters.remove(waiter)
    done = [f for f in fs if f._state in [_CANCELLED_AND_NOTIFIED, _FINISHED]]
    not_done = [f for f in fs if f not in done]
    return DoneAndNotDoneFutures(set(done), set(not_done))


class Executor:
    def submit(self, fn, *args, **kwargs):
        raise NotImplementedError()

    def map(self, fn, *iterables, timeout=None, chunksize=1):
        fs = [self.submit(fn, *args) for args in zip(*iterables)]

        def result_iterator():
            try:
                fs.reverse()
                while fs:
                    yield fs.pop().result(timeout)
            finally:
                for future in fs:
                    future.cancel()
        return result_iterator()

    def shutdown(self, wait=True, *, cancel_futures=False):
        pass

    def __enter__(self):
        return self

    def __exit__(self, exc_type, exc_val, exc_tb):
        self.shutdown(wait=True)
        return False


_threads_queues = []
_shutdown = False
_global_shutdown_lock = threading.Lock()


def _python_exit():
    global _shutdown
    with _global_shutdown_lock:
        _shutdown = True
    items = list(_threads_queues)
    for t, q in items:
        q.put(None)
    for t, q in items:
        t.join()


threading._register_atexit(_python_exit)


class _WorkItem:
    def __init__(self, future, fn, args, kwargs):
        self.future = future
        self.fn = fn
        self.args = args
        self.kwargs = kwargs

    def run(self):
        if not self.future.set_running_or_notify_cancel():
            return
        try:
            result = self.fn(*self.args, **self.kwargs)
        except BaseException as exc:
            self.future.set_exception(exc)
        else:
            self.future.set_result(result)


def _worker(executor, work_queue, initializer, initargs):
    if initializer is not None:
        try:
            initializer(*initargs)
        except BaseException:
            executor._broken = 'A thread initializer failed, the thread pool is not usable anymore'
            return
    while True:
        # (get() and acquire(False) rather than CPython's get(block=True)
        # and acquire(timeout=0): the same calls, in the form the
        # explorer knows touches only the queue or the semaphore.)
        work_item = work_queue.get()
        if work_item is not None:
            work_item.run()
            del work_item
            executor._idle_semaphore.release()
            continue
        if _shutdown or executor._shutdown:
            executor._shutdown = True
            work_queue.put(None)
            return


_executor_counter = [0]


class ThreadPoolExecutor(Executor):
    def __init__(self, max_workers=None, thread_name_prefix='', initializer=None, initargs=()):
        if max_workers is None:
            max_workers = min(32, (os.cpu_count() or 1) + 4)
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._max_workers = max_workers
        self._work_queue = queue.SimpleQueue()
        self._idle_semaphore = threading.Semaphore(0)
        self._threads = []
        self._broken = False
        self._shutdown = False
        self._shutdown_lock = threading.Lock()
        n = _executor_counter[0]
        _executor_counter[0] = n + 1
        self._thread_name_prefix = thread_name_prefix or ("ThreadPoolExecutor-%d" % n)
        self._initializer = initializer
        self._initargs = initargs

    def submit(self, fn, *args, **kwargs):
        with self._shutdown_lock, _global_shutdown_lock:
            if self._broken:
                raise BrokenExecutor(self._broken)
            if self._shutdown:
                raise RuntimeError('cannot schedule new futures after shutdown')
            if _shutdown:
                raise RuntimeError('cannot schedule new futures after interpreter shutdown')
            f = Future()
            w = _WorkItem(f, fn, args, kwargs)
            self._work_queue.put(w)
            self._adjust_thread_count()
            return f

    def _adjust_thread_count(self):
        if self._idle_semaphore.acquire(False):
            return
        num_threads = len(self._threads)
        if num_threads < self._max_workers:
            thread_name = '%s_%d' % (self._thread_name_prefix, num_threads)
            t = threading.Thread(name=thread_name, target=_worker,
                                 args=(self, self._work_queue, self._initializer, self._initargs))
            t.start()
            self._threads.append(t)
            _threads_queues.append((t, self._work_queue))

    def shutdown(self, wait=True, *, cancel_futures=False):
        with self._shutdown_lock:
            self._shutdown = True
            if cancel_futures:
                while True:
                    try:
                        work_item = self._work_queue.get_nowait()
                    except queue.Empty:
                        break
                    if work_item is not None:
                        work_item.future.cancel()
            self._work_queue.put(None)
        if wait:
            for t in self._threads:
                t.join()


class ProcessPoolExecutor(Executor):
    # Worker processes instead of threads: a multiprocessing.Pool whose
    # results come back through the pool's result handler (a thread of
    # this process), which completes each Future. The function and its
    # arguments travel to the workers by copy, the function by its name.
    # (multiprocessing is imported here, not at the top, so that a program
    # of threads alone does not import it.)
    def __init__(self, max_workers=None, mp_context=None, initializer=None, initargs=(), *, max_tasks_per_child=None):
        import multiprocessing
        if max_workers is None:
            max_workers = os.cpu_count() or 1
        if max_workers <= 0:
            raise ValueError("max_workers must be greater than 0")
        if initializer is not None and not callable(initializer):
            raise TypeError("initializer must be a callable")
        self._max_workers = max_workers
        self._pool = multiprocessing.Pool(max_workers, initializer, initargs)
        self._shutdown = False

    def submit(self, fn, /, *args, **kwargs):
        if self._shutdown:
            raise RuntimeError('cannot schedule new futures after shutdown')
        f = Future()
        f.set_running_or_notify_cancel()
        self._pool.apply_async(fn, args, kwargs, callback=f.set_result, error_callback=f.set_exception)
        return f

    def shutdown(self, wait=True, *, cancel_futures=False):
        if not self._shutdown:
            self._shutdown = True
            self._pool.close()
        if wait:
            self._pool.join()

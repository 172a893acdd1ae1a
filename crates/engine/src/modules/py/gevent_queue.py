# gevent.queue: queues for greenlets. A get() from an empty queue, or a
# put() into a full one, waits in the hub (gevent._park) until a put() or
# a get() on the other side notifies it; with items there, get() returns
# at once, without switching, as gevent's does.

import heapq as _heapq
from collections import deque as _deque
from queue import Empty, Full
from gevent import _notify, _wait_until

__all__ = ['Queue', 'JoinableQueue', 'LifoQueue', 'PriorityQueue', 'Empty', 'Full']


class Queue:
    def __init__(self, maxsize=None, items=()):
        # None or 0: no bound (as gevent since 1.1).
        self.maxsize = maxsize if maxsize else None
        self.queue = _deque(items)
        self.getters = []
        self.putters = []

    def __repr__(self):
        return '<%s at %#x maxsize=%r queue=%r>' % (type(self).__name__, id(self), self.maxsize, list(self.queue))

    def qsize(self):
        return len(self.queue)

    def __len__(self):
        return len(self.queue)

    def __bool__(self):
        return True

    def empty(self):
        return not self.queue

    def full(self):
        return self.maxsize is not None and len(self.queue) >= self.maxsize

    def _put(self, item):
        self.queue.append(item)

    def _get(self):
        return self.queue.popleft()

    def _peek(self):
        return self.queue[0]

    def put(self, item, block=True, timeout=None):
        if not _wait_until(self.putters, lambda: not self.full(), timeout, block):
            raise Full
        self._put(item)
        if self.getters:
            _notify(self.getters)

    def put_nowait(self, item):
        self.put(item, False)

    def get(self, block=True, timeout=None):
        if not _wait_until(self.getters, lambda: self.queue, timeout, block):
            raise Empty
        item = self._get()
        if self.putters:
            _notify(self.putters)
        return item

    def get_nowait(self):
        return self.get(False)

    def peek(self, block=True, timeout=None):
        if not _wait_until(self.getters, lambda: self.queue, timeout, block):
            raise Empty
        return self._peek()

    def peek_nowait(self):
        return self.peek(False)

    def __iter__(self):
        return self

    def __next__(self):
        item = self.get()
        if item is StopIteration:
            raise StopIteration
        return item


class LifoQueue(Queue):
    def _put(self, item):
        self.queue.append(item)

    def _get(self):
        return self.queue.pop()

    def _peek(self):
        return self.queue[-1]


class PriorityQueue(Queue):
    def __init__(self, maxsize=None, items=()):
        super().__init__(maxsize)
        self.queue = sorted(items)

    def _put(self, item):
        _heapq.heappush(self.queue, item)

    def _get(self):
        return _heapq.heappop(self.queue)

    def _peek(self):
        return self.queue[0]


class JoinableQueue(Queue):
    def __init__(self, maxsize=None, items=(), unfinished_tasks=None):
        super().__init__(maxsize, items)
        self.unfinished_tasks = len(self.queue) if unfinished_tasks is None else unfinished_tasks
        self._joiners = []

    def _put(self, item):
        super()._put(item)
        self.unfinished_tasks += 1

    def task_done(self):
        if self.unfinished_tasks <= 0:
            raise ValueError('task_done() called too many times')
        self.unfinished_tasks -= 1
        if self.unfinished_tasks == 0:
            _notify(self._joiners, None)

    def join(self, timeout=None):
        return _wait_until(self._joiners, lambda: not self.unfinished_tasks, timeout)

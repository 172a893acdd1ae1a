# interleave: error
# get_nowait() on an empty queue raises queue.Empty. It has no message,
# and because the class really lives in the C module _queue, the last
# traceback line is just "_queue.Empty".

import queue

q = queue.Queue()
q.put("only item")
print("got:", q.get_nowait())
print("got:", q.get_nowait())

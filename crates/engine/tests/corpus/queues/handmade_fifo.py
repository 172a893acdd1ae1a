# interleave: deterministic
# Before reaching for the queue module, it helps to see FIFO order by hand.
# A list works (insert at the front, pop from the end) but insert(0) is
# slow for big lists; deque is made for this. OrderedDict.move_to_end
# turns a dict into a "least recently used" order, as used in LRU caches.

from collections import deque, OrderedDict

line = []
for person in ["Ann", "Bob", "Cy"]:
    line.insert(0, person)          # newest at the front of the list
print("list:", line)
print("list served:", line.pop(), line.pop(), line.pop())

line = deque()
for person in ["Ann", "Bob", "Cy"]:
    line.append(person)
print("deque served:", line.popleft(), line.popleft(), line.popleft())

cache = OrderedDict()
def use(key, capacity=3):
    if key in cache:
        cache.move_to_end(key)      # now the most recently used
    else:
        cache[key] = key.upper()
        if len(cache) > capacity:
            old, _ = cache.popitem(last=False)
            print("  evicted", old)
    print(f"use {key}: {list(cache)}")

for key in ["a", "b", "c", "a", "d", "b", "e"]:
    use(key)

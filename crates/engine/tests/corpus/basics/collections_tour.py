# interleave: deterministic
# The collections module adds handy containers: deque (fast at both ends),
# defaultdict (missing keys get a default), Counter (counting things) and
# OrderedDict (with move_to_end).

from collections import deque, defaultdict, Counter, OrderedDict

d = deque([1, 2, 3])
d.append(4)
d.appendleft(0)
print(d)
print(d.pop(), d.popleft(), d)
window = deque(maxlen=3)
for i in range(5):
    window.append(i)
print(window, list(window))

groups = defaultdict(list)
for word in ["apple", "avocado", "banana", "blueberry", "cherry"]:
    groups[word[0]].append(word)
print(dict(groups))

counts = Counter("abracadabra")
print(counts.most_common(2), counts["a"], counts["z"])

od = OrderedDict()
for key in "abc":
    od[key] = key.upper()
od.move_to_end("a")
print(list(od.keys()))
od.move_to_end("c", last=False)
print(list(od.items()))

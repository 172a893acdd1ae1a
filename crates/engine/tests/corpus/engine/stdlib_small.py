# interleave: deterministic
# Small stdlib modules written in Python for Interleave: heapq, bisect,
# string, abc, and time.localtime/strftime.
import heapq, bisect, string, time
from abc import ABC, abstractmethod
h = []
for x in [5, 1, 8, 3, 2]: heapq.heappush(h, x)
print(h, [heapq.heappop(h) for _ in range(3)], h)
a = [1, 3, 5]; bisect.insort(a, 4); print(a, bisect.bisect_left(a, 3))
print(string.ascii_lowercase[:5], string.digits)
class Shape(ABC):
    @abstractmethod
    def area(self): ...
class Sq(Shape):
    def __init__(self, s): self.s = s
    def area(self): return self.s ** 2
print(Sq(3).area())
try:
    Shape()
except TypeError as e:
    print(e)

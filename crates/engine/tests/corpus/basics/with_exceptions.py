# interleave: deterministic
# Exceptions leaving `with` blocks: every manager's __exit__ runs once, the
# innermost first, also with several managers in one statement and with a
# `for` loop inside the block.
import threading


class CM:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress

    def __enter__(self):
        print("enter", self.name)
        return self

    def __exit__(self, exc_type, exc, tb):
        print("exit", self.name, exc_type.__name__ if exc_type else None)
        return self.suppress


try:
    with CM("a"), CM("b"):
        raise RuntimeError("boom")
except RuntimeError as e:
    print("caught", e)

with CM("outer", suppress=True):
    for x in [1, 2]:
        with CM("inner"):
            raise ValueError(x)
print("suppressed")


def first(items):
    with CM("f"):
        for x in items:
            return x


print(first([7, 8]))

a = threading.Lock()
b = threading.Lock()
try:
    with a, b:
        raise KeyError("k")
except KeyError as e:
    print("KeyError", e)
print(a.locked(), b.locked())

# interleave: deterministic
# dataclasses: @dataclass writes __init__, __repr__ and __eq__ from the
# class's annotated fields (order=True adds the comparisons, unsafe_hash
# a hash); field() sets defaults, factories and what repr and compare
# skip; a dataclass holding a lock works from several threads; a frozen
# one refuses stores and hashes by its fields.
from dataclasses import dataclass, field, asdict, astuple, replace, fields, is_dataclass, FrozenInstanceError
from typing import List, ClassVar
import threading

@dataclass
class Point:
    x: int
    y: int = 0

@dataclass(order=True)
class Job:
    priority: int
    name: str = field(compare=False)
    tags: List[str] = field(default_factory=list, repr=False)
    counter: ClassVar[int] = 0

    def __post_init__(self):
        Job.counter += 1

@dataclass
class Point3(Point):
    z: int = 5

@dataclass
class Account:
    owner: str
    balance: int = 0
    lock: threading.Lock = field(default_factory=threading.Lock, repr=False, compare=False)

    def deposit(self, n):
        with self.lock:
            self.balance += n

p = Point(1, 2)
print(p, Point(3), p == Point(1, 2), p == Point(2, 1), p != (1, 2))
print(asdict(p), astuple(p), replace(p, y=9))
print([f.name for f in fields(Point3)], Point3(1, 2, 3), Point3(7))
jobs = sorted([Job(3, "c"), Job(1, "a", ["x"]), Job(2, "b")])
print(jobs, Job.counter, Job(1, "z") == Job(1, "q"))
print(jobs[0].tags)
acct = Account("ann")
ts = [threading.Thread(target=acct.deposit, args=(10,)) for _ in range(3)]
for t in ts: t.start()
for t in ts: t.join()
print(acct, is_dataclass(acct), is_dataclass(3))
for bad in [lambda: Point(), lambda: Point(1, 2, 3), lambda: Point(1, x=2), lambda: Point(1, q=2), lambda: Job()]:
    try:
        bad()
    except TypeError as e:
        print("TypeError:", e)
try:
    @dataclass
    class Bad:
        items: list = []
except ValueError as e:
    print("ValueError:", e)
try:
    @dataclass
    class Bad2:
        a: int = 1
        b: int
except TypeError as e:
    print("TypeError:", e)
try:
    hash(p)
except TypeError as e:
    print("TypeError:", e)
@dataclass(unsafe_hash=True)
class H:
    a: int
print(hash(H(1)) == hash(H(1)), len({H(1), H(1), H(2)}))

@dataclass(frozen=True)
class Config:
    host: str
    port: int = 80
    tags: tuple = ()
c = Config("example.org")
print(c, hash(c) == hash(Config("example.org")), c == Config("example.org", 80))
try:
    c.port = 8080
except FrozenInstanceError as e:
    print("FrozenInstanceError:", e, isinstance(e, AttributeError))
try:
    c.other = 1
except FrozenInstanceError as e:
    print("FrozenInstanceError:", e)
print(replace(c, port=443), len({c, Config("example.org"), Config("a")}))
@dataclass(frozen=True, order=True)
class V:
    x: int
    y: int = field(default=0, compare=False)
print(sorted([V(3), V(1, 5), V(2)]))
try:
    del c.port
except FrozenInstanceError as e:
    print("FrozenInstanceError:", e)

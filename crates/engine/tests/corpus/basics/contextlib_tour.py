# interleave: deterministic
# contextlib: @contextmanager (with a lock inside, and as a decorator),
# suppress, nullcontext and closing, as CPython runs them; and
# generator.throw(), which runs the code after a @contextmanager's yield
# when the with block raised.
import threading, time
from contextlib import contextmanager, suppress, nullcontext, closing

@contextmanager
def timed(label):
    start = time.perf_counter()
    print("enter", label)
    try:
        yield label.upper()
    finally:
        print("exit", label, round(time.perf_counter() - start, 1))

with timed("sleep") as name:
    print("inside", name)
    time.sleep(0.2)

try:
    with timed("boom"):
        raise ValueError("bad")
except ValueError as e:
    print("propagated", e)

@contextmanager
def swallow():
    try:
        yield
    except KeyError as e:
        print("swallowed", repr(e))

with swallow():
    {}["missing"]
print("after swallow")

with suppress(ZeroDivisionError, KeyError):
    1 / 0
print("suppressed")
with nullcontext(42) as v:
    print("null", v)

class Res:
    def close(self):
        print("closed")
with closing(Res()) as r:
    print("using", type(r).__name__)

@timed("decorated")
def work(n):
    print("work", n)
    return n * 2
print(work(3))

lock = threading.Lock()
@contextmanager
def locked(name):
    with lock:
        print(name, "has the lock")
        yield
        print(name, "releases")
def job(name):
    with locked(name):
        time.sleep(0.01)
ts = [threading.Thread(target=job, args=(f"t{i}",)) for i in range(2)]
for t in ts: t.start()
for t in ts: t.join()

@contextmanager
def noyield():
    if False:
        yield
try:
    with noyield():
        pass
except RuntimeError as e:
    print("RuntimeError:", e)
print(timed.__name__, work.__name__)

# throw() resumes a generator at its yield with the exception raised there.
def gen():
    try:
        yield 1
    except ValueError as e:
        print("gen caught", e)
        yield 2
    finally:
        print("gen finally")
g = gen()
print(next(g), g.throw(ValueError, ValueError("v"), None))
try:
    g.throw(KeyError("k"))
except KeyError as e:
    print("KeyError out of the generator:", e)
def ends():
    yield 1
    return "done"
e = ends()
next(e)
try:
    e.throw(GeneratorExit)
except GeneratorExit:
    print("GeneratorExit passes through")
e = ends()
try:
    e.throw(TypeError("before the start"))
except TypeError as x:
    print("TypeError:", x)
def r():
    try:
        yield 1
    except ValueError:
        return "ret"
x = r(); next(x)
try:
    x.throw(ValueError)
except StopIteration as s:
    print("StopIteration", s.value, s.args)
print(list(x))

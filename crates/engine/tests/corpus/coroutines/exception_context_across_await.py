# interleave: deterministic
# A coroutine (or a generator) that pauses inside an `except` block keeps
# the exception it handles to itself: while it is paused, other code does
# not see that exception as the one being handled (it would become the
# __context__ of their own exceptions), and it has it back when it
# resumes. CPython keeps it with the paused frame.
import asyncio
import sys

async def a():
    try:
        raise ValueError("a's")
    except ValueError:
        await asyncio.sleep(0)
        print("a, resumed, still handles", repr(sys.exc_info()[1]))

async def b():
    try:
        raise KeyError("b's")
    except KeyError as e:
        print("b's context:", repr(e.__context__))

async def main():
    await asyncio.gather(a(), b())

asyncio.run(main())

def gen():
    try:
        raise ValueError("gen's")
    except ValueError:
        yield 1
        print("gen, resumed, still handles", repr(sys.exception()))

g = gen()
next(g)
print("after the yield, handled here:", sys.exc_info())
try:
    raise KeyError("k")
except KeyError as e:
    print("context:", e.__context__)
next(g, None)

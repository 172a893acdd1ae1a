# interleave: deterministic
# What a coroutine is: calling an async def runs nothing and gives a
# coroutine object; await (or send()) runs it. It is no iterator, and it
# can be awaited once.
async def add(a, b):
    return a + b
async def main():
    x = await add(1, 2)
    print("x", x)
    c = add(3, 4)
    print(type(c).__name__)
    try:
        for _ in c:
            pass
    except TypeError as e:
        print("TypeError:", e)
    try:
        next(c)
    except TypeError as e:
        print("TypeError:", e)
    try:
        c.send(None)
    except StopIteration as e:
        print("stop", e.value)
    try:
        await c
    except RuntimeError as e:
        print("RuntimeError:", e)
    try:
        await 5
    except TypeError as e:
        print("TypeError:", e)
    return "done"
m = main()
try:
    m.send(None)
except StopIteration as e:
    print("main returned", e.value)

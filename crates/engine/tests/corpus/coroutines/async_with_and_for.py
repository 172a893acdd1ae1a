# interleave: deterministic
# async with calls __aenter__ and __aexit__ and awaits them; async for
# calls __aiter__ once and awaits __anext__ until StopAsyncIteration. A
# return, break or continue inside still runs __aexit__, and __aexit__
# returning True swallows the exception.
class Res:
    def __init__(self, name, suppress=False):
        self.name = name
        self.suppress = suppress
    async def __aenter__(self):
        print("enter", self.name)
        return self.name.upper()
    async def __aexit__(self, et, ev, tb):
        print("exit", self.name, et.__name__ if et else None, ev)
        return self.suppress

class Count:
    def __init__(self, n):
        self.i = 0
        self.n = n
    def __aiter__(self):
        return self
    async def __anext__(self):
        if self.i >= self.n:
            raise StopAsyncIteration
        self.i += 1
        return self.i

async def inner():
    async with Res("a") as a, Res("b") as b:
        print("body", a, b)
        return "ret"

async def main():
    print(await inner())
    async with Res("s", suppress=True):
        raise ValueError("gone")
    print("after suppress")
    try:
        async with Res("r"):
            raise KeyError("k")
    except KeyError as e:
        print("caught", repr(e))
    total = 0
    async for i in Count(4):
        if i == 3:
            continue
        total += i
    else:
        print("else ran", total)
    async for i in Count(10):
        if i > 2:
            break
        print("i", i)
    else:
        print("not printed")
    for j in range(2):
        async with Res(f"loop{j}"):
            if j == 0:
                continue
            break
    print("done")

c = main()
try:
    c.send(None)
except StopIteration:
    print("finished")

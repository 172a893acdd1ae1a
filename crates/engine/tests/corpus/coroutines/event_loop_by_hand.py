# interleave: deterministic
# The event loop as older tutorials drive it: get_event_loop(),
# run_until_complete(), call_soon() and call_later(), close(). After
# asyncio.run() there is no current loop any more.
import asyncio


async def hello(i):
    print("hello", i)
    await asyncio.sleep(1)
    print("bye", i)
    return i


def callback(what, loop):
    print("callback", what, loop.is_running())


loop = asyncio.get_event_loop()
loop.call_soon(callback, "soon", loop)
loop.call_later(0.5, callback, "later", loop)
handle = loop.call_later(0.2, callback, "cancelled", loop)
handle.cancel()
tasks = [loop.create_task(hello(i)) for i in range(3)]
done, pending = loop.run_until_complete(asyncio.wait(tasks))
print(sorted(t.result() for t in done), pending)
print(loop.run_until_complete(hello(9)))
loop.close()
print(loop.is_closed(), type(loop).__name__)
try:
    loop.run_until_complete(hello(10))
except RuntimeError as e:
    print("RuntimeError:", e)


async def main():
    print("in asyncio.run")


asyncio.run(main())
try:
    asyncio.get_event_loop()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    asyncio.get_running_loop()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    asyncio.run(hello)
except ValueError as e:
    print("ValueError:", str(e)[:44])

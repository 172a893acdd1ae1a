# interleave: deterministic
# Waiting with a limit, and cancelling: wait_for() and timeout() cancel
# what they wait for when the time is up and raise TimeoutError;
# cancel() raises CancelledError inside the task, at its await, where a
# finally block still runs; gather() passes on the first exception, or
# returns them all with return_exceptions=True; wait() and as_completed()
# hand results over as they come.
import asyncio


async def slow(name, seconds):
    try:
        await asyncio.sleep(seconds)
        return f"{name} done"
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise
    finally:
        print(f"{name} cleans up")


async def failing(seconds):
    await asyncio.sleep(seconds)
    raise ValueError(f"failed after {seconds}")


async def nested():
    # The exception reaches the innermost await first.
    try:
        await slow("inner", 10)
    except asyncio.CancelledError:
        print("nested saw the cancellation")
        return "nested swallowed it"


async def main():
    print(await asyncio.wait_for(slow("quick", 0.5), timeout=1))
    try:
        await asyncio.wait_for(slow("late", 5), timeout=1)
    except asyncio.TimeoutError:
        print("wait_for timed out;", asyncio.TimeoutError is TimeoutError)

    try:
        async with asyncio.timeout(0.5):
            await slow("block", 2)
    except TimeoutError:
        print("timeout() expired")

    task = asyncio.create_task(slow("task", 10))
    await asyncio.sleep(0.1)
    print("cancel:", task.cancel(), "again:", task.cancel())
    try:
        await task
    except asyncio.CancelledError:
        print("awaiting it raises CancelledError;", task.cancelled(), task.done())

    t = asyncio.create_task(nested())
    await asyncio.sleep(0.1)
    t.cancel()
    print(await t, t.cancelled())

    try:
        await asyncio.gather(failing(0.2), failing(0.1))
    except ValueError as e:
        print("gather raised:", e)
    print(await asyncio.gather(failing(0.1), asyncio.sleep(0.2, result="ok"), return_exceptions=True))

    tasks = [asyncio.create_task(asyncio.sleep(d, result=d)) for d in (0.3, 0.1, 0.2)]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("first completed:", [t.result() for t in done], len(pending))
    done, pending = await asyncio.wait(tasks, timeout=5)
    print("all:", sorted(t.result() for t in done), len(pending))
    for next_one in asyncio.as_completed([asyncio.sleep(d, result=d) for d in (0.3, 0.1, 0.2)]):
        print("as completed:", await next_one)

    inner = asyncio.create_task(asyncio.sleep(0.2, result="shielded result"))
    try:
        await asyncio.wait_for(asyncio.shield(inner), timeout=0.1)
    except TimeoutError:
        print("the shield timed out, the inner task goes on:", inner.cancelled())
    print(await inner)

    f = asyncio.get_running_loop().create_future()
    try:
        f.result()
    except asyncio.InvalidStateError as e:
        print("InvalidStateError:", e)
    asyncio.get_running_loop().call_later(0.1, f.set_result, 42)
    print("future:", await f, f.done())


asyncio.run(main())

# interleave: deterministic
# An exception inside a task does not stop the pool and is not printed
# when it happens. The Future keeps it, and result() raises it again in
# the thread that asks for the result. exception() returns it instead.

from concurrent.futures import ThreadPoolExecutor

def parse(text):
    return int(text)                 # int("two") raises ValueError

with ThreadPoolExecutor(max_workers=2) as pool:
    futures = [pool.submit(parse, text) for text in ["1", "two", "3"]]
    for future in futures:
        try:
            print("result:", future.result())
        except ValueError as e:
            print("the task raised ValueError:", e)
    print("exception():", repr(futures[1].exception()))
    print("done:", [f.done() for f in futures])

    # map() raises the task's exception when the loop reaches it.
    try:
        for n in pool.map(parse, ["4", "five", "6"]):
            print("map result:", n)
    except ValueError as e:
        print("map stopped:", e)

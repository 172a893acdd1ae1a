# interleave: deterministic
# `from concurrent import futures`, the spelling of many tutorials (Fluent
# Python's flags examples among them): `concurrent` is a package, and the
# `from` imports its `futures` submodule. A bare `import concurrent` does
# not, as in CPython.
import concurrent

try:
    concurrent.futures
except AttributeError as e:
    print("AttributeError:", e)

from concurrent import futures
import concurrent.futures as cf

print(cf is futures, concurrent.futures is futures)


def square(n):
    return n * n


with futures.ThreadPoolExecutor(max_workers=3) as executor:
    todo = [executor.submit(square, n) for n in range(5)]
    done = sorted(f.result() for f in futures.as_completed(todo))
print(done)

try:
    from concurrent import nothing
except ImportError as e:
    print("ImportError:", type(e).__name__)

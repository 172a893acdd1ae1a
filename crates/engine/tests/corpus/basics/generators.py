# interleave: deterministic
# A generator function uses `yield` to produce values lazily, one at a time.
# Its body runs only when the next value is requested.

def countdown(n):
    print("  starting countdown")
    while n > 0:
        yield n
        n -= 1
    print("  countdown done")

gen = countdown(3)
print("generator created, nothing ran yet")
print(next(gen))
print(next(gen))
for value in gen:
    print("loop got", value)

def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b

first = []
for i, f in enumerate(fib()):
    if i == 10:
        break
    first.append(f)
print(first)

def chain(*iterables):
    for it in iterables:
        yield from it

print(list(chain([1, 2], "ab", range(3))))
print(sum(x * x for x in range(4)))
g = countdown(1)
print(list(g), list(g))

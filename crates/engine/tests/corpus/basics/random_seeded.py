# interleave: deterministic
# Seeded random numbers are CPython's: the same seed prints the same
# values here as under CPython 3.11.
import random

random.seed(42)
print(random.random(), random.random())
print([random.randint(1, 6) for _ in range(10)])
print(random.randrange(10), random.randrange(5, 50, 5), random.randrange(100, 0, -7))
print(random.choice(["red", "green", "blue"]), random.choice("abcdef"), random.choice(range(1000)))
print(random.uniform(1, 3), random.triangular(0, 10, 3))
deck = list(range(10))
random.shuffle(deck)
print(deck)
print(random.sample(range(100), 5), random.sample(range(10**6), 7))
print(random.sample(["a", "b", "c", "d"], 4))
print(random.choices("xyz", k=6))
print(random.choices(["win", "lose"], weights=[1, 9], k=8))
print(random.choices(["a", "b", "c"], cum_weights=[1, 5, 6], k=5))
print(random.gauss(0, 1), random.gauss(10, 2), random.gauss(0, 1))
print(random.normalvariate(5, 1), random.expovariate(2.0))
print(random.getrandbits(5), random.getrandbits(40), random.getrandbits(100))
print(random.randrange(10**20), random.randint(-10**25, 10**25))

for s in [0, 1, 7, -7, 2**40 + 3, 10**30, 3.5, -0.25, True, "hello", b"bytes", "", "héllo ✓"]:
    random.seed(s)
    print(repr(s), random.random(), random.randint(0, 1000))

# The same seed again gives the same sequence.
random.seed(123)
a = [random.random() for _ in range(3)]
random.seed(123)
print(a == [random.random() for _ in range(3)])
# A long draw crosses the Twister's 624-word refills.
random.seed(9)
print(sum(random.getrandbits(32) for _ in range(2000)))

for bad in [(1, 2), [3], None.__class__]:
    try:
        random.seed(bad)
    except TypeError as e:
        print("TypeError:", e)
for call in [lambda: random.randrange(0), lambda: random.randrange(5, 2), lambda: random.randint(5, 2),
             lambda: random.randrange(1, 10, 0), lambda: random.randrange(10, 1, 2), lambda: random.choice([]),
             lambda: random.sample([1, 2], 3), lambda: random.sample({1, 2}, 1),
             lambda: random.choices([1, 2], [1, 2, 3]), lambda: random.getrandbits(-1)]:
    try:
        call()
    except (ValueError, IndexError, TypeError) as e:
        print(type(e).__name__ + ":", e)

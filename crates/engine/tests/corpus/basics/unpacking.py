# interleave: deterministic
# Unpacking assigns the items of a sequence to several names at once.
# A starred name collects "the rest". It is also how Python swaps values.

a, b, c = [1, 2, 3]
print(a, b, c)
a, b = b, a
print(a, b)
first, *middle, last = range(6)
print(first, middle, last)
head, *tail = "hello"
print(head, tail)
(x, y), z = (1, 2), 3
print(x, y, z)
for i, (name, score) in enumerate([("ann", 90), ("bob", 85)], start=1):
    print(i, name, score)
print(*[1, 2, 3], sep=" -> ")
merged = [*"ab", *range(2), *(9,)]
print(merged)
try:
    p, q = [1, 2, 3]
except ValueError as e:
    print("ValueError:", e)

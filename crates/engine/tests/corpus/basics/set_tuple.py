# interleave: deterministic
# Sets hold unique items with fast membership tests; tuples are fixed,
# immutable sequences. Small integer sets print in sorted order, but we
# still use sorted() to make the output order explicit.

a = {1, 2, 3, 4}
b = {3, 4, 5}
print(sorted(a | b), sorted(a & b), sorted(a - b), sorted(a ^ b))
a.add(10)
a.discard(1)
print(sorted(a), 3 in a, 1 in a, len(a))
print(sorted(set("mississippi")))
print({2, 1} == {1, 2}, set())
point = (3, 4)
x, y = point
print(point, x, y, point[0], len(point))
print((1,), (), (1, 2) + (3,), (1, 2, 2).count(2), (5, 6, 7).index(7))
print(tuple([1, 2]), list((3, 4)))
print((1, 2) < (1, 3), max([(2, "b"), (2, "a"), (1, "z")]))

# interleave: deterministic
# Sets print in CPython's hash-table order: small ints come out sorted.
print({3, 1, 2}, set([10, 5, 7, 1]), {100, 1, 50}, {-1, 5, 3})
s = set(range(20)); print(s)
print(set([33, 17, 1, 9, 25]))
print(frozenset({4,2}), {x % 7 for x in range(30)})
print(sorted({'b','a'}), {1,2} | {9, 3})

# interleave: deterministic
# Comprehensions build lists, dicts and sets in one expression,
# optionally filtering with `if`, and can nest several `for` clauses.

squares = [n * n for n in range(10)]
evens = [n for n in squares if n % 2 == 0]
print(squares)
print(evens)
pairs = [(x, y) for x in range(3) for y in range(3) if x != y]
print(pairs)
words = ["apple", "bob", "kiwi", "banana"]
lengths = {w: len(w) for w in words}
print(lengths)
initials = sorted({w[0] for w in words})
print(initials)
matrix = [[r * 3 + c for c in range(3)] for r in range(3)]
print(matrix)
print([row[i] for i, row in enumerate(matrix)])
print([w.upper() if len(w) > 4 else w for w in words])
print(sum(n for n in range(101)))

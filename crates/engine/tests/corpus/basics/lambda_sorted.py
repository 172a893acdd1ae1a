# interleave: deterministic
# lambda makes a small anonymous function. It is often passed as the `key`
# to sorted, min and max, or to map and filter. Sorting is stable: equal
# keys keep their original order.

people = [("ann", 31), ("bob", 25), ("cy", 31), ("dee", 19)]
print(sorted(people, key=lambda p: p[1]))
print(sorted(people, key=lambda p: (-p[1], p[0])))
print(min(people, key=lambda p: p[1]), max(people, key=lambda p: len(p[0])))
words = ["banana", "Apple", "cherry", "date"]
print(sorted(words), sorted(words, key=str.lower), sorted(words, key=len))
print(list(map(lambda x: x * 2, [1, 2, 3])))
print(list(filter(lambda x: x % 2, range(10))))
square = lambda x: x ** 2
print(square(7))
print(any(x > 5 for x in [1, 9]), all(x > 0 for x in [1, -1]))

# interleave: deterministic
# Dictionaries map keys to values and remember insertion order.
# get() and setdefault() avoid KeyError; items() gives key-value pairs.

ages = {"ann": 31, "bob": 25}
ages["cy"] = 40
print(ages)
print(ages["bob"], ages.get("zed"), ages.get("zed", 0))
print(list(ages.keys()), list(ages.values()), list(ages.items()))
ages.update({"bob": 26, "dee": 19})
print(ages)
print(ages.pop("ann"), ages)
print(ages.setdefault("eve", 22), ages.setdefault("bob", 99))
for name, age in ages.items():
    print(f"{name}: {age}")
print("cy" in ages, len(ages))
squares = {n: n * n for n in range(5)}
print(squares)
merged = {**squares, 5: 25}
print(merged)
print(dict(zip("abc", [1, 2, 3])), dict(a=1, b=2))
del ages["cy"]
print(ages)
print(ages.popitem(), ages)

# A pure-Python loop: the interpreter's raw speed on arithmetic and a range.
total = 0
for i in range(3_000_000):
    total += i * 2 % 7
print(total)

# interleave: deterministic
# A closure is a function that remembers variables from where it was made.
# `nonlocal` lets an inner function rebind the outer function's variable,
# and `global` rebinds a module-level variable.

def make_counter(start=0):
    count = start
    def increment(step=1):
        nonlocal count
        count += step
        return count
    return increment

c1 = make_counter()
c2 = make_counter(100)
print(c1(), c1(), c1(5), c2(), c1())

total = 0
def add_to_total(n):
    global total
    total += n

for n in range(1, 5):
    add_to_total(n)
print("total:", total)

multipliers = [lambda x, k=k: x * k for k in range(1, 4)]
print([m(10) for m in multipliers])
late = [lambda x: x * k for k in range(1, 4)]
print([m(10) for m in late])   # all use the final k == 3

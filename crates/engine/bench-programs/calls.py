# Function calls: frame creation, argument passing, return.
def add(a, b=1):
    return a + b

n = 0
for _ in range(1_000_000):
    n = add(n)
print(n)

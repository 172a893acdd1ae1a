# interleave: error
# Dividing by zero raises ZeroDivisionError, for /, // and % alike.
# Here the loop works until it reaches the zero.

for d in [4, 2, 1, 0]:
    print(f"12 / {d} = {12 / d}")

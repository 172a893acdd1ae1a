# interleave: error
# Unbounded recursion hits the recursion limit (1000 frames) and raises
# RecursionError instead of crashing the interpreter.
def countdown(n):
    return countdown(n - 1)

print("starting")
countdown(10)

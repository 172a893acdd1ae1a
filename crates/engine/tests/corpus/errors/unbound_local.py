# interleave: error
# Assigning to a name anywhere inside a function makes it local to that
# function. Reading it before the assignment raises UnboundLocalError.
# The fix is `global count` (or better: pass it in and return it).

count = 0

def increment():
    count = count + 1

print("count is", count)
increment()

# interleave: error
# A recursive function needs a base case. Without one it calls itself
# until Python's recursion limit is hit and RecursionError is raised.

def countdown(n):
    if n == 3:
        print("three... (this function forgot to stop at zero)")
    return countdown(n - 1)

print("start")
countdown(5)

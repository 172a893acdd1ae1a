# interleave: error
# Asking an object for an attribute or method it does not have raises
# AttributeError. Integers, for example, have no upper() method.

class Robot:
    def __init__(self, name):
        self.name = name

r = Robot("R2")
print(r.name)
count = 42
print(count.bit_length())
count.upper()

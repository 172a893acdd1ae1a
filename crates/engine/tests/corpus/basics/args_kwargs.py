# interleave: deterministic
# Functions can take default values, any number of positional arguments
# (*args, a tuple), any number of keyword arguments (**kwargs, a dict),
# and keyword-only parameters (those after a bare * or after *args).

def describe(name, greeting="Hello", *args, sep=", ", **kwargs):
    print(f"{greeting}, {name}!", "extras:", sep.join(str(a) for a in args), kwargs)

describe("Ann")
describe("Bob", "Hi")
describe("Cy", "Yo", 1, 2, 3)
describe("Dee", "Hey", "x", "y", sep=" | ", mood="happy", level=3)

def only_keywords(*, width, height=1):
    return width * height

print(only_keywords(width=5), only_keywords(height=2, width=4))
try:
    only_keywords(3)
except TypeError as e:
    print("TypeError:", e)

def total(*numbers):
    return sum(numbers)

values = [1, 2, 3, 4]
options = {"greeting": "Welcome", "sep": "-"}
print(total(*values))
describe("Eve", *[], **options)

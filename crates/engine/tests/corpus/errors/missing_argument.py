# interleave: error
# Calling a function with too few arguments raises TypeError, and the
# message names the missing parameter.

def greet(greeting, name):
    print(f"{greeting}, {name}!")

greet("Hello", "Ann")
greet("Hi")

# interleave: deterministic
# A decorator is a function that takes a function and returns a new one.
# `@name` above a def is shorthand for f = name(f). Decorators can take
# arguments too, by adding one more level of functions.

def logged(func):
    def wrapper(*args, **kwargs):
        print(f"calling {func.__name__}{args}")
        result = func(*args, **kwargs)
        print(f"{func.__name__} returned {result}")
        return result
    return wrapper

def repeat(times):
    def decorator(func):
        def wrapper(*args):
            return [func(*args) for _ in range(times)]
        return wrapper
    return decorator

@logged
def add(a, b):
    return a + b

@repeat(3)
def greet(name):
    return "hi " + name

add(2, 3)
print(greet("ann"))

calls = {}
def counted(func):
    def wrapper(n):
        calls[func.__name__] = calls.get(func.__name__, 0) + 1
        return func(n)
    return wrapper

@counted
def fib(n):
    return n if n < 2 else fib(n - 1) + fib(n - 2)

print(fib(10), calls)

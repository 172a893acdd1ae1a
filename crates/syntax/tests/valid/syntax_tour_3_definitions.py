def params(a, b=1, /, c=2, *args, d, e=3, **kwargs):
    "docstring"
    return a, b, c, args, d, e, kwargs


def gen_fn():
    yield
    yield 1
    yield 1, 2
    x = yield
    y = yield from range(3)
    return x, y


def outer():
    z = 0

    def inner():
        nonlocal z
        z += 1
        return z
    return inner


@staticmethod
@some.decorator(arg=1)
def decorated(): pass


class Base: pass


class Child(Base, metaclass=type):
    """A child."""
    attr: int = 0

    @property
    def value(self):
        return self.attr

    @value.setter
    def value(self, v):
        self.attr = v



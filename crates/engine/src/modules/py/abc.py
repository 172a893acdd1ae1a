# abc for Interleave: ABC is a plain base class and abstractmethod marks
# methods; instantiating a class with abstract methods raises TypeError as
# in CPython.

def abstractmethod(funcobj):
    funcobj.__isabstractmethod__ = True
    return funcobj


class ABC:
    def __init__(self, *args, **kwargs):
        missing = []
        for klass in type(self).__mro__:
            for name in sorted(vars(klass)):
                value = getattr(type(self), name, None)
                if getattr(value, '__isabstractmethod__', False) and name not in missing:
                    missing.append(name)
        if missing:
            names = ", ".join(sorted(missing))
            s = 's' if len(missing) > 1 else ''
            raise TypeError("Can't instantiate abstract class %s with abstract method%s %s"
                            % (type(self).__name__, s, names))


ABCMeta = type

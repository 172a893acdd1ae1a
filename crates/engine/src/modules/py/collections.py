# collections for Interleave: the containers are native (_collections);
# namedtuple is written here in Python. Its instances behave like tuples
# for printing, indexing, unpacking, iteration, len, equality, hashing and
# ordering (they are not real tuple subclasses: isinstance(p, tuple) is
# False).
from _collections import deque, OrderedDict, defaultdict, Counter


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    if isinstance(field_names, str):
        field_names = field_names.replace(',', ' ').split()
    field_names = tuple(map(str, field_names))
    defaults = tuple(defaults) if defaults is not None else ()
    nf = len(field_names)
    field_defaults = dict(zip(field_names[nf - len(defaults):], defaults))

    class _Tuple:
        _fields = field_names
        _field_defaults = field_defaults

        def __init__(self, *args, **kwargs):
            values = list(args)
            if len(values) > nf:
                raise TypeError("%s.__new__() takes %d positional arguments but %d were given"
                                % (typename, nf + 1, len(values) + 1))
            for name in field_names[len(values):]:
                if name in kwargs:
                    values.append(kwargs.pop(name))
                elif name in field_defaults:
                    values.append(field_defaults[name])
                else:
                    raise TypeError("%s.__new__() missing 1 required positional argument: '%s'"
                                    % (typename, name))
            if kwargs:
                raise TypeError("%s.__new__() got an unexpected keyword argument '%s'"
                                % (typename, list(kwargs)[0]))
            for name, value in zip(field_names, values):
                setattr(self, name, value)

        def _tuple(self):
            return tuple(getattr(self, name) for name in field_names)

        def __repr__(self):
            return typename + "(" + ", ".join("%s=%r" % (n, getattr(self, n)) for n in field_names) + ")"

        def __iter__(self):
            return iter(self._tuple())

        def __len__(self):
            return nf

        def __getitem__(self, index):
            return self._tuple()[index]

        def __eq__(self, other):
            try:
                return self._tuple() == tuple(other)
            except TypeError:
                return False

        def __ne__(self, other):
            return not self == other

        def __lt__(self, other):
            return self._tuple() < tuple(other)

        def __le__(self, other):
            return self._tuple() <= tuple(other)

        def __gt__(self, other):
            return self._tuple() > tuple(other)

        def __ge__(self, other):
            return self._tuple() >= tuple(other)

        def __hash__(self):
            return hash(self._tuple())

        def __add__(self, other):
            return self._tuple() + tuple(other)

        def _asdict(self):
            return dict(zip(field_names, self._tuple()))

        def _replace(self, **kwargs):
            values = self._asdict()
            values.update(kwargs)
            return type(self)(**values)

        @classmethod
        def _make(cls, iterable):
            return cls(*iterable)

        def count(self, value):
            return self._tuple().count(value)

        def index(self, value):
            return self._tuple().index(value)

    _Tuple.__name__ = typename
    _Tuple.__qualname__ = typename
    _Tuple.__module__ = module if module is not None else '__main__'
    return _Tuple

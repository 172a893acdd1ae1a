# collections for Interleave: the containers are native (_collections);
# namedtuple is written here in Python. Its instances behave like tuples
# for printing, indexing, unpacking, iteration, len, equality, hashing and
# ordering (they are not real tuple subclasses: isinstance(p, tuple) is
# False).
#
# The explorer reads this code (crates/explorer/src/frozen.rs) to learn
# which attributes and lists any code can change: a `setattr`, `getattr`
# or `vars` here, or a call of a list-changing method such as `append` or
# `pop`, would make it assume the worst about every program that imports
# collections. So the values are stored by `_init_fields` (a constructor's
# stores, of names only known at run time, made once), as the tuple
# `_values`, which the methods read, and under the fields' names.
from _collections import deque, OrderedDict, defaultdict, Counter, _init_fields


def _names(names):
    # 'x', "'x' and 'y'", "'x', 'y', and 'z'", as CPython lists arguments.
    quoted = tuple("'%s'" % n for n in names)
    if len(quoted) < 3:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


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
            # The checks of CPython's argument binding, in its order.
            if len(args) > nf:
                raise TypeError("%s.__new__() takes %d positional arguments but %d were given"
                                % (typename, nf + 1, len(args) + 1))
            for name in kwargs:
                if name not in field_names:
                    raise TypeError("%s.__new__() got an unexpected keyword argument '%s'" % (typename, name))
                if name in field_names[:len(args)]:
                    raise TypeError("%s.__new__() got multiple values for argument '%s'" % (typename, name))
            rest = field_names[len(args):]
            missing = tuple([n for n in rest if n not in kwargs and n not in field_defaults])
            if missing:
                raise TypeError("%s.__new__() missing %d required positional argument%s: %s"
                                % (typename, len(missing), "" if len(missing) == 1 else "s", _names(missing)))
            _init_fields(self, field_names, args + tuple([kwargs[n] if n in kwargs else field_defaults[n] for n in rest]))

        def _tuple(self):
            return self._values

        def __repr__(self):
            return typename + "(" + ", ".join("%s=%r" % (n, v) for n, v in zip(field_names, self._values)) + ")"

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

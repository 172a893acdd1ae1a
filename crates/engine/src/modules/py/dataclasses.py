# dataclasses, as CPython 3.11's for the common cases: @dataclass (with
# init, repr, eq, order, unsafe_hash, kw_only), field() with defaults and
# default factories, __post_init__, inheritance of fields; fields(),
# asdict(), astuple(), replace(), is_dataclass().
#
# CPython writes the methods as source code and exec()s it; here they are
# closures over the class's fields, with the argument errors CPython's
# generated __init__ gives. The stores by name go through the natives of
# _dataclasses (modules/dataclasses.rs says why they are not setattr
# and getattr), and dicts are filled by update(), not `d[k] = v`, which
# the explorer's look at this code would take for a list that may change.
# The engine records a class's annotations as their source text (see the
# compiler's AnnAssign), so a field's `type` is a string, as under
# `from __future__ import annotations`.
#
# Left out: slots=True, InitVar, KW_ONLY, match_args.

from _dataclasses import _store_field, _drop_attr, _own, _own_names, _has_own_init, _set_init, _field_value, _hook_stores


class _MISSING_TYPE:
    def __repr__(self):
        return 'MISSING'


MISSING = _MISSING_TYPE()


class FrozenInstanceError(AttributeError):
    pass


class Field:
    def __init__(self, default, default_factory, init, repr, hash, compare, metadata, kw_only):
        self.name = None
        self.type = None
        self.default = default
        self.default_factory = default_factory
        self.init = init
        self.repr = repr
        self.hash = hash
        self.compare = compare
        self.metadata = {} if metadata is None else metadata
        self.kw_only = kw_only

    def __repr__(self):
        return ('Field(name=%r,type=%r,default=%r,default_factory=%r,init=%r,repr=%r,hash=%r,compare=%r,metadata=%r,kw_only=%r,_field_type=_FIELD)'
                % (self.name, self.type, self.default, self.default_factory, self.init, self.repr, self.hash, self.compare, self.metadata, self.kw_only))


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True, hash=None, compare=True, metadata=None, kw_only=MISSING):
    if default is not MISSING and default_factory is not MISSING:
        raise ValueError('cannot specify both default and default_factory')
    return Field(default, default_factory, init, repr, hash, compare, metadata, kw_only)


def _is_classvar(annotation):
    text = annotation if isinstance(annotation, str) else ''
    return text == 'ClassVar' or text.startswith('ClassVar[') or text.startswith('typing.ClassVar')


def _names(names):
    quoted = ["'%s'" % n for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return '%s and %s' % tuple(quoted)
    return ', '.join(quoted[:-1]) + ', and ' + quoted[-1]


def _make_init(cls, fields):
    qualname = cls.__qualname__ + '.__init__'
    positional = [f for f in fields if f.init and not f.kw_only]
    keyword = [f for f in fields if f.init and f.kw_only]
    required = len([f for f in positional if f.default is MISSING and f.default_factory is MISSING])

    def __init__(self, *args, **kwargs):
        if len(args) > len(positional):
            given = len(args) + 1
            if required == len(positional):
                raise TypeError('%s() takes %d positional argument%s but %d were given'
                                % (qualname, len(positional) + 1, '' if len(positional) == 0 else 's', given))
            raise TypeError('%s() takes from %d to %d positional arguments but %d were given'
                            % (qualname, required + 1, len(positional) + 1, given))
        values = {}
        for i in range(len(args)):
            values.update({positional[i].name: args[i]})
        init_names = [f.name for f in positional] + [f.name for f in keyword]
        for name, value in kwargs.items():
            if name not in init_names:
                raise TypeError('%s() got an unexpected keyword argument %r' % (qualname, name))
            if name in values:
                raise TypeError('%s() got multiple values for argument %r' % (qualname, name))
            values.update({name: value})
        missing = [f.name for f in positional if f.name not in values and f.default is MISSING and f.default_factory is MISSING]
        if missing:
            raise TypeError('%s() missing %d required positional argument%s: %s'
                            % (qualname, len(missing), '' if len(missing) == 1 else 's', _names(missing)))
        missing = [f.name for f in keyword if f.name not in values and f.default is MISSING and f.default_factory is MISSING]
        if missing:
            raise TypeError('%s() missing %d required keyword-only argument%s: %s'
                            % (qualname, len(missing), '' if len(missing) == 1 else 's', _names(missing)))
        for f in fields:
            if f.name in values:
                value = values[f.name]
            elif f.default_factory is not MISSING:
                value = f.default_factory()
            elif f.default is not MISSING:
                value = f.default
            else:
                continue
            _store_field(self, f.name, value)
        if hasattr(self, '__post_init__'):
            self.__post_init__()

    return __init__


def _make_repr(fields):
    shown = [f for f in fields if f.repr]

    def __repr__(self):
        return '%s(%s)' % (type(self).__qualname__, ', '.join('%s=%r' % (f.name, _field_value(self, f.name)) for f in shown))

    return __repr__


def _key(fields):
    compared = [f.name for f in fields if f.compare]
    return lambda obj: tuple(_field_value(obj, name) for name in compared)


def _make_eq(key):
    def __eq__(self, other):
        if other.__class__ is self.__class__:
            return key(self) == key(other)
        return NotImplemented

    return __eq__


def _make_order(key, op):
    def compare(self, other):
        if other.__class__ is self.__class__:
            return op(key(self), key(other))
        return NotImplemented

    return compare


def _make_frozen(cls, names):
    def _frozen_store(self, name, value):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f'cannot assign to field {name!r}')
        _store_field(self, name, value)

    def _frozen_delete(self, name):
        if type(self) is cls or name in names:
            raise FrozenInstanceError(f'cannot delete field {name!r}')
        _drop_attr(self, name)

    return _frozen_store, _frozen_delete


def _make_hash(key):
    def __hash__(self):
        return hash(key(self))

    return __hash__


def _process_class(cls, init, repr, eq, order, unsafe_hash, frozen, kw_only):
    fields = {}
    for base in cls.__mro__[-1:0:-1]:
        for f in _own(base, '__dataclass_fields__', {}).values():
            fields.update({f.name: f})
    own = _own(cls, '__annotations__', {})
    for name, annotation in own.items():
        if _is_classvar(annotation):
            continue
        default = _own(cls, name, MISSING)
        if isinstance(default, Field):
            f = default
        else:
            f = field(default=default)
        f.name = name
        f.type = annotation
        if f.kw_only is MISSING:
            f.kw_only = kw_only
        if isinstance(f.default, (list, dict, set)):
            raise ValueError(f'mutable default {type(f.default)} for field {name} is not allowed: use default_factory')
        if isinstance(default, Field):
            if f.default is MISSING:
                _drop_attr(cls, name)
            else:
                _store_field(cls, name, f.default)
        fields.update({name: f})
    for name in _own_names(cls):
        if isinstance(_own(cls, name), Field) and name not in own:
            raise TypeError(f'{name!r} is a field but has no type annotation')
    all_fields = list(fields.values())
    seen_default = False
    for f in all_fields:
        if f.init and not f.kw_only:
            if f.default is not MISSING or f.default_factory is not MISSING:
                seen_default = True
            elif seen_default:
                raise TypeError(f'non-default argument {f.name!r} follows default argument')
    cls.__dataclass_fields__ = fields
    key = _key(all_fields)
    own_names = _own_names(cls)
    if init and not _has_own_init(cls):
        _set_init(cls, _make_init(cls, all_fields))
    if repr and '__repr__' not in own_names:
        cls.__repr__ = _make_repr(all_fields)
    if eq and '__eq__' not in own_names:
        cls.__eq__ = _make_eq(key)
    if order:
        for name, op in (('__lt__', lambda a, b: a < b), ('__le__', lambda a, b: a <= b),
                         ('__gt__', lambda a, b: a > b), ('__ge__', lambda a, b: a >= b)):
            if name in own_names:
                raise TypeError(f'Cannot overwrite attribute {name} in class {cls.__name__}. Consider using functools.total_ordering')
            _store_field(cls, name, _make_order(key, op))
    if frozen:
        _hook_stores(cls, *_make_frozen(cls, tuple(fields)))
    if unsafe_hash or (eq and frozen and '__hash__' not in own_names):
        cls.__hash__ = _make_hash(key)
    elif eq and '__hash__' not in own_names:
        cls.__hash__ = None
    return cls


def dataclass(cls=None, *, init=True, repr=True, eq=True, order=False, unsafe_hash=False, frozen=False,
              match_args=True, kw_only=False, slots=False, weakref_slot=False):
    def wrap(cls):
        return _process_class(cls, init, repr, eq, order, unsafe_hash, frozen, kw_only)

    if cls is None:
        return wrap
    return wrap(cls)


def fields(class_or_instance):
    try:
        found = class_or_instance.__dataclass_fields__
    except AttributeError:
        raise TypeError('must be called with a dataclass type or instance') from None
    return tuple(found.values())


def is_dataclass(obj):
    return hasattr(obj, '__dataclass_fields__')


def _as(obj, kind):
    if hasattr(type(obj), '__dataclass_fields__'):
        values = [(f.name, _as(_field_value(obj, f.name), kind)) for f in fields(obj)]
        return dict(values) if kind is dict else tuple(v for _, v in values)
    if isinstance(obj, tuple) and hasattr(obj, '_fields'):
        return type(obj)(*[_as(v, kind) for v in obj])
    if isinstance(obj, (list, tuple)):
        return type(obj)(_as(v, kind) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((_as(k, kind), _as(v, kind)) for k, v in obj.items())
    import copy
    return copy.deepcopy(obj)


def asdict(obj):
    if not hasattr(type(obj), '__dataclass_fields__'):
        raise TypeError('asdict() should be called on dataclass instances')
    return _as(obj, dict)


def astuple(obj):
    if not hasattr(type(obj), '__dataclass_fields__'):
        raise TypeError('astuple() should be called on dataclass instances')
    return _as(obj, tuple)


def replace(obj, **changes):
    if not hasattr(type(obj), '__dataclass_fields__'):
        raise TypeError('replace() should be called on dataclass instances')
    for f in fields(obj):
        if not f.init and f.name in changes:
            raise ValueError(f'field {f.name} is declared with init=False, it cannot be specified with replace()')
        if f.init and f.name not in changes:
            changes.update({f.name: _field_value(obj, f.name)})
    return obj.__class__(**changes)

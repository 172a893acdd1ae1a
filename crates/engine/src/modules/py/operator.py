# operator, as CPython's for the common functions: the operators as
# functions (add, mul, lt, getitem, ...), and itemgetter, attrgetter and
# methodcaller, the sort keys of tutorials (sorted(pairs, key=itemgetter(1))).

def lt(a, b):
    return a < b

def le(a, b):
    return a <= b

def eq(a, b):
    return a == b

def ne(a, b):
    return a != b

def ge(a, b):
    return a >= b

def gt(a, b):
    return a > b

def not_(a):
    return not a

def truth(a):
    return True if a else False

def is_(a, b):
    return a is b

def is_not(a, b):
    return a is not b

def abs(a):
    return a if a >= 0 else -a

def add(a, b):
    return a + b

def and_(a, b):
    return a & b

def floordiv(a, b):
    return a // b

def index(a):
    return a.__index__()

def inv(a):
    return ~a

invert = inv

def lshift(a, b):
    return a << b

def mod(a, b):
    return a % b

def mul(a, b):
    return a * b

def neg(a):
    return -a

def or_(a, b):
    return a | b

def pos(a):
    return +a

def pow(a, b):
    return a ** b

def rshift(a, b):
    return a >> b

def sub(a, b):
    return a - b

def truediv(a, b):
    return a / b

def xor(a, b):
    return a ^ b

def concat(a, b):
    return a + b

def contains(a, b):
    return b in a

def countOf(a, b):
    count = 0
    for i in a:
        if i is b or i == b:
            count += 1
    return count

def getitem(a, b):
    return a[b]

def setitem(a, b, c):
    a[b] = c

def delitem(a, b):
    del a[b]

def indexOf(a, b):
    for i, j in enumerate(a):
        if j is b or j == b:
            return i
    raise ValueError('sequence.index(x): x not in sequence')

def iadd(a, b):
    a += b
    return a

def isub(a, b):
    a -= b
    return a

def imul(a, b):
    a *= b
    return a


class itemgetter:
    def __init__(self, item, *items):
        self._items = (item,) + items

    def __call__(self, obj):
        if len(self._items) == 1:
            return obj[self._items[0]]
        return tuple(obj[i] for i in self._items)

    def __repr__(self):
        return 'operator.itemgetter(%s)' % ', '.join(map(repr, self._items))


class attrgetter:
    def __init__(self, attr, *attrs):
        self._attrs = (attr,) + attrs
        for a in self._attrs:
            if not isinstance(a, str):
                raise TypeError('attribute name must be a string')

    def _get(self, obj, name):
        for part in name.split('.'):
            obj = getattr(obj, part)
        return obj

    def __call__(self, obj):
        if len(self._attrs) == 1:
            return self._get(obj, self._attrs[0])
        return tuple(self._get(obj, a) for a in self._attrs)

    def __repr__(self):
        return 'operator.attrgetter(%s)' % ', '.join(map(repr, self._attrs))


class methodcaller:
    def __init__(self, name, *args, **kwargs):
        if not isinstance(name, str):
            raise TypeError('method name must be a string')
        self._name = name
        self._args = args
        self._kwargs = kwargs

    def __call__(self, obj):
        return getattr(obj, self._name)(*self._args, **self._kwargs)

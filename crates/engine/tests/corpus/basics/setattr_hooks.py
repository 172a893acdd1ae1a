# interleave: deterministic
# A class's own __setattr__ sees every store on its instances (also
# those of subclasses, and one set on the class later); object.__setattr__
# and super().__setattr__ store past it; __delattr__ likewise sees deletions.
class F:
    def __init__(self, a):
        object.__setattr__(self, 'a', a)
    def __setattr__(self, k, v):
        raise AttributeError(f"read-only: {k}")
f = F(1)
try:
    f.b = 2
except AttributeError as e:
    print("blocked", e)
print(f.a, hasattr(f, 'b'))
class Log:
    def __setattr__(self, k, v):
        print("set", k, v)
        super().__setattr__(k, v.upper() if isinstance(v, str) else v)
class Sub(Log):
    def __init__(self):
        self.name = "x"
        self.n = 1
s = Sub()
print(s.name, s.n)
class Late:
    pass
l = Late()
l.x = 1
Late.__setattr__ = lambda self, k, v: print("late", k)
l.y = 2
print(l.x, hasattr(l, 'y'))
class P:
    @property
    def v(self): return 1
    @v.setter
    def v(self, x): print("prop", x)
    def __setattr__(self, k, x):
        print("hook", k)
        object.__setattr__(self, k, x)
p = P(); p.v = 5; p.w = 6; print(p.w)
class D:
    def __delattr__(self, name):
        print("del", name)
        if name != "keep":
            super().__delattr__(name)
d = D(); d.q = 1; d.keep = 2
del d.q
del d.keep
delattr(d, "keep")
print(hasattr(d, 'q'), hasattr(d, 'keep'))
object.__delattr__(d, "keep")
print(hasattr(d, 'keep'))

# interleave: deterministic
# super() calls the parent class's version of a method. Modern code writes
# super().__init__(...); older tutorials write super(Child, self).__init__()
# or call Parent.__init__(self, ...) directly. All three work here.

class Base:
    def __init__(self, label):
        self.label = label
        print(f"Base.__init__({label!r})")

    def describe(self):
        return f"Base[{self.label}]"

class ModernChild(Base):
    def __init__(self, label, extra):
        super().__init__(label)
        self.extra = extra

    def describe(self):
        return "Modern" + super().describe() + f"+{self.extra}"

class OldStyleChild(Base):
    def __init__(self, label):
        super(OldStyleChild, self).__init__(label)

class ExplicitChild(Base):
    def __init__(self, label):
        Base.__init__(self, label.upper())

print(ModernChild("a", 1).describe())
print(OldStyleChild("b").describe())
print(ExplicitChild("c").describe())

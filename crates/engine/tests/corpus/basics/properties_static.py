# interleave: deterministic
# @property turns a method into a computed attribute, and a setter can
# validate new values. @staticmethod needs no instance; @classmethod gets
# the class itself and is often used as an alternative constructor.

class Temperature:
    def __init__(self, celsius):
        self.celsius = celsius

    @property
    def celsius(self):
        return self._celsius

    @celsius.setter
    def celsius(self, value):
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._celsius = value

    @property
    def fahrenheit(self):
        return self._celsius * 9 / 5 + 32

    @staticmethod
    def is_freezing(c):
        return c <= 0

    @classmethod
    def from_fahrenheit(cls, f):
        return cls((f - 32) * 5 / 9)

t = Temperature(25)
print(t.celsius, t.fahrenheit)
t.celsius = 100
print(t.celsius, t.fahrenheit)
try:
    t.celsius = -300
except ValueError as e:
    print("rejected:", e)
print(Temperature.is_freezing(-5), Temperature.is_freezing(5))
print(Temperature.from_fahrenheit(212).celsius)

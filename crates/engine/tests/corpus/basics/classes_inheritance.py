# interleave: deterministic
# A class bundles data (attributes) with behaviour (methods).
# A subclass inherits methods and can override them; __str__ and
# __repr__ control how objects look when printed.

class Animal:
    count = 0                      # class attribute, shared by all

    def __init__(self, name):
        self.name = name           # instance attribute
        Animal.count += 1

    def speak(self):
        return "..."

    def __str__(self):
        return f"{self.name} says {self.speak()}"

    def __repr__(self):
        return f"{type(self).__name__}({self.name!r})"

class Dog(Animal):
    def speak(self):
        return "Woof"

class Puppy(Dog):
    def speak(self):
        return super().speak().lower() + "!"

pets = [Animal("generic"), Dog("Rex"), Puppy("Bit")]
for p in pets:
    print(p)
print(pets)
print(Animal.count, isinstance(pets[2], Dog), isinstance(pets[1], Puppy))
print(issubclass(Puppy, Animal), type(pets[1]).__name__)

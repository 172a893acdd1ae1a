# interleave: error
# Python does not silently convert between types: adding a number and a
# string raises TypeError. Convert explicitly with str() or int().

age = 30
print(str(age) + " years")
print(age + " years")

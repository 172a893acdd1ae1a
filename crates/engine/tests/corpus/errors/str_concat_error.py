# interleave: error
# Joining text with + only works between strings. When the left side is a
# string and the right side a number, the TypeError says exactly that.
# An f-string (f"next year: {age + 1}") avoids the problem.

age = 30
print(f"next year: {age + 1}")
print("next year: " + (age + 1))

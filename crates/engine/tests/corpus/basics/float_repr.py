# interleave: deterministic
# Floats are stored in binary, so 0.1 + 0.2 is not exactly 0.3.
# Python prints the shortest text that reads back as the same float.
# Use round() or a format spec when you want fewer digits.

print(0.1 + 0.2)
print(0.1 + 0.2 == 0.3)
print(1 / 3, 2 / 3)
print(1e16, 1e-5, 123456789.0 * 1000)
print(float("inf"), -float("inf"))
print(3.0, 3.5 * 2, 10 / 4)
print(round(0.1 + 0.2, 2), f"{0.1 + 0.2:.3f}")
print(int(3.99), int(-3.99), float(7))
print(2 ** 0.5)
import math
print(math.pi, math.sqrt(16), math.floor(2.7), math.ceil(2.1))
print(math.isclose(0.1 + 0.2, 0.3))

# interleave: deterministic
# Python integers never overflow: they grow as big as they need to.
# This program shows integer division, modulo with negative numbers,
# powers, divmod, and a factorial with more than 60 digits.

print(7 / 2, 7 // 2, 7 % 2)
print(-7 // 2, -7 % 2)          # floor division rounds toward minus infinity
print(divmod(17, 5), divmod(-17, 5))
print(2 ** 10, 2 ** 100)
print(abs(-42), round(2.5), round(3.5), round(2.675, 2))

def factorial(n):
    result = 1
    for i in range(2, n + 1):
        result *= i
    return result

big = factorial(50)
print("50! =", big)
print("digits:", len(str(big)))
print("last digits are zeros:", str(big)[-12:])
print(int("ff", 16), hex(255), bin(10), oct(8))
print(10 ** 20 // 3, 10 ** 20 % 7)

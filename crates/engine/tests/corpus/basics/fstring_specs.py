# interleave: deterministic
# f-strings put values into text. After a colon you can give a format spec:
# width, alignment (< > ^), fill character, precision, thousands separator,
# and types such as d, f, e, %, x, b.

name, price, qty = "widget", 3.14159, 1234567
print(f"{name:>10}|{name:<10}|{name:^10}|")
print(f"{name:*^12}")
print(f"{price:.2f} {price:8.3f} {price:e} {price:.1%}")
print(f"{qty:,} {qty:_} {qty:>12,}")
print(f"{255:x} {255:X} {255:#x} {5:b} {5:08b} {42:05d}")
print(f"{-3:+d} {3:+d} {3: d}")
width = 8
print(f"[{'dyn':>{width}}]")
print(f"{name!r} {name.upper()} {len(name) * 2}")
x = 10
print(f"{x=} {x * 2 = }")
print(f"{{braces}} {3 + 4}")

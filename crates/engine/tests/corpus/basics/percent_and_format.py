# interleave: deterministic
# Two older ways to format strings that you will meet in tutorials:
# the % operator (like C's printf) and str.format with {} fields.

print("%s has %d items costing %.2f" % ("cart", 3, 9.5))
print("%5d|%-5d|%05d" % (42, 42, 42))
print("%x %o %e %%" % (255, 8, 12345.678))
print("%(name)s is %(age)d" % {"name": "Ann", "age": 30})
print("%r" % "quoted")
print("{} and {}".format("this", "that"))
print("{1} before {0}".format("second", "first"))
print("{name} scored {score:.1f}".format(name="Bo", score=91.25))
print("{:>6}|{:<6}|{:^6}|".format("a", "b", "c"))
print("{0[0]} {0[2]}".format([10, 20, 30]))

# interleave: deterministic
# Strings are immutable sequences of characters with many handy methods.
# Every method returns a new string; the original never changes.

s = "  Hello, Interleave World  "
print(repr(s.strip()), repr(s.lstrip()), repr(s.rstrip()))
t = s.strip()
print(t.upper(), t.lower(), t.title(), t.swapcase())
print(t.split(", "), t.split())
print("-".join(["a", "b", "c"]))
print(t.replace("World", "Threads"), t.find("Inter"), t.find("zzz"))
print(t.startswith("Hello"), t.endswith("!"), "lo" in t)
print(t.count("l"), t[0], t[-1], t[7:17], t[::-1])
print("42".zfill(5), "abc".center(9, "*"), "x".ljust(3, ".") + "|", "x".rjust(3) + "|")
print("a,b,,c".split(","), "line1\nline2".splitlines())
print("123".isdigit(), "abc".isalpha(), "   ".isspace(), "Abc".istitle())
print("你好，世界", len("你好，世界"), "线程".encode("utf-8"))

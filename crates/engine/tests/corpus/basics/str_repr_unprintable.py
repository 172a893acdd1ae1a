# interleave: deterministic
# repr() escapes what str.isprintable() calls unprintable: controls,
# spaces other than ' ', separators, format and private-use characters,
# noncharacters. Letters and symbols of every script show as they are.
samples = [
    "tab\tnewline\n",
    "nbsp\u00a0here",
    "soft\u00adhyphen",
    "ideographic\u3000space",
    "en\u2002quad and thin\u2009space",
    "line\u2028para\u2029",
    "zero\u200bwidth\u200djoiner",
    "bom\ufeff",
    "private\ue000use",
    "nonchar\ufdd0\uffff",
    "plane 1: \U0001d173 and \U000e0041",
    "caf\u00e9 \u00fcber \u65e5\u672c \u0394 \U0001f600",
]
for s in samples:
    print(repr(s))
    print(s.isprintable())
print(repr("x" + "\u00a0"), len(repr("\u3000")))

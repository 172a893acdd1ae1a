# interleave: error
# int() accepts only text that looks like a whole number. Anything else
# raises ValueError, whose message shows the offending text.

for text in ["42", " 7 ", "-3", "x"]:
    print(repr(text), "->", int(text))

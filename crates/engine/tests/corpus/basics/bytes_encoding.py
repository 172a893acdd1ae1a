# interleave: deterministic
# Text (str) and raw bytes are different types. encode() turns text into
# bytes using an encoding such as UTF-8; decode() turns bytes back.
# Non-ASCII characters take several bytes in UTF-8.

text = "héllo 世界"
data = text.encode("utf-8")
print(data)
print(len(text), len(data))
print(data.decode("utf-8") == text)
print(b"abc" + b"def", b"abc"[0], list(b"hi"), bytes([72, 105]))
print(b"hello".upper(), b"a,b".split(b","), b"x" * 3)
print("A".encode(), ord("A"), chr(66), ord("界"))
try:
    b"\xff\xfe".decode("utf-8")
except UnicodeDecodeError:
    print("invalid UTF-8 bytes")
print(data.hex())

# interleave: deterministic
# Files of the virtual kernel: open() in modes r, w, a and x, read(),
# readline(), iteration, write(), json.dump() and json.load(), and os's
# remove, rename, listdir and os.path. Opening for writing empties the
# file at once, and the text waits in the file object until it is closed,
# so a thread that reads in between sees an empty file, as under CPython.
import json
import os
import os.path
import threading
import time
from os import path

try:
    open("missing.txt")
except FileNotFoundError as e:
    print("FileNotFoundError:", e, e.errno, e.filename, isinstance(e, OSError))

with open("data.json", "w", encoding="utf-8") as f:
    json.dump({"a": [1, 2], "b": "x"}, f, indent=2)
    print(repr(f), f.closed, f.name, f.mode)
print(f.closed)
with open("data.json") as f:
    print(f.read(5) + "|" + f.readline() + "|" + repr(f.readlines()))
with open("data.json") as f:
    print(json.load(f))

with open("lines.txt", "w") as f:
    f.writelines(["a\n", "b\n", "c"])
for line in open("lines.txt"):
    print(repr(line))
print(open("lines.txt").readlines(), path.exists("lines.txt"), os.path.getsize("lines.txt"))
with open("lines.txt", "a") as f:
    print("d", file=f)
print(repr(open("lines.txt").read()))

try:
    open("lines.txt", "x")
except FileExistsError as e:
    print("FileExistsError:", e)
f = open("lines.txt")
try:
    f.write("x")
except OSError as e:
    print(type(e).__name__, e)
f.close()
try:
    f.read()
except ValueError as e:
    print("ValueError:", e)
w = open("lines.txt", "a")
try:
    w.read()
except OSError as e:
    print(type(e).__name__, e)
try:
    w.write(5)
except TypeError as e:
    print("TypeError:", e)
w.close()
try:
    os.remove("nope.txt")
except FileNotFoundError as e:
    print(e)
print(os.path.join("dir", "file.txt"), os.path.join("a/", "b"), os.path.join("a", "/b"), os.path.basename("x/y.txt"))
os.rename("lines.txt", "moved.txt")
print(sorted(os.listdir(".")))

# A reader between a writer's open and its close sees an empty file.
seen = []
def writer():
    with open("shared.txt", "w") as f:
        f.write("hello")
        time.sleep(0.2)
def reader():
    time.sleep(0.1)
    with open("shared.txt") as f:
        seen.append(f.read())
ts = [threading.Thread(target=writer), threading.Thread(target=reader)]
for t in ts:
    t.start()
for t in ts:
    t.join()
print(seen, open("shared.txt").read())

# Two file objects opened with "w" write from their own offsets, over
# each other's text; "a" always writes at the end.
one, two = open("two.txt", "w"), open("two.txt", "w")
one.write("first line\n")
two.write("2nd\n")
one.close()
two.close()
print(repr(open("two.txt").read()))
for n in ["moved.txt", "data.json", "shared.txt", "two.txt"]:
    os.remove(n)
print(os.listdir("."), os.path.exists("data.json"))

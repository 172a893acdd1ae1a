x = y = 0
a = b = dicts = [1]
for i in range(3):
    if i == 1:
        continue
    elif i == 2:
        break
else:
    pass

for k, v in {}.items(): print(k, v)
for (p, q) in []: pass

while False:
    pass
else:
    x = 1

try:
    pass
except:
    pass

try:
    raise ValueError("bad") from None
except ValueError as exc:
    raise
finally:
    pass

with open("f") as fh, open("g") as gh: pass
with (open("f") as fh,
      open("g") as gh,):
    pass
with (yield_ := 1): pass
with (a, b): pass

import os.path as osp, sys
from . import sibling
from ..pkg.mod import (name1 as alias1,
                       name2,)
from os import *
from .mod import thing
if x: y = 1
else: y = 2
print(*a, sep="", end="\n", **{})
print((yield_))
match = 1
match(x)
case = match + 1
print(not x, -x, +x, ~x)
print(x if x else y if y else 0)
print([*a, *b], (*a,), {**dicts})
print(a[1:2, 3], a[...], ...)

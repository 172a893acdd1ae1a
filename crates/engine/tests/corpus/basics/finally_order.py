# interleave: deterministic
# try/except/else/finally: `else` runs only when no exception happened;
# `finally` ALWAYS runs, even when the function returns or the exception
# is passed on. Watch the order of the printed lines.

def attempt(x):
    try:
        print(f"  try with {x}")
        result = 10 / x
    except ZeroDivisionError:
        print("  except: cannot divide by zero")
        return "failed"
    else:
        print("  else: no error")
        return result
    finally:
        print("  finally: always runs")

print("returned", attempt(2))
print("returned", attempt(0))

def reraise():
    try:
        raise KeyError("k")
    finally:
        print("  cleanup before the error leaves")

try:
    reraise()
except KeyError as e:
    print("caught", repr(e))

for i in range(3):
    try:
        if i == 1:
            continue
        print("loop body", i)
    finally:
        print("loop finally", i)

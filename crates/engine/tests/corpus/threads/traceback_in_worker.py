# interleave: deterministic
# A worker that catches every failure and prints its traceback with the
# traceback module, so that one bad item does not end the thread silently
# (the tracebacks go to stderr; here their first and last lines are
# printed too).
import threading
import traceback

def parse(s):
    return int(s)

def worker(items):
    for s in items:
        try:
            print("parsed", parse(s))
        except ValueError:
            traceback.print_exc()
            lines = traceback.format_exc().splitlines()
            print("failed on", repr(s), "|", lines[0], "|", lines[-1])

t = threading.Thread(target=worker, args=(["1", "x", "3"],))
t.start()
t.join()
try:
    {}["k"]
except KeyError as e:
    print("".join(traceback.format_exception(e)).splitlines()[-1])
    traceback.print_exception(e)
print(repr(traceback.format_exc()))

# interleave: deterministic
# An exception that nobody catches ends its thread only: CPython hands it
# to threading.excepthook, whose default prints "Exception in thread ..."
# and the traceback to stderr, and the rest of the program goes on. A
# program can put its own hook there, to log the failure or count it.
import threading

failures = []

def hook(args):
    failures.append(args.thread.name)
    print(f"hook: {args.exc_type.__name__}: {args.exc_value} in {args.thread.name}")
    exc_type, exc_value, exc_traceback, thread = args   # it unpacks like a tuple
    print("  same thread object:", thread is args.thread)

def divide(n):
    print(f"{threading.current_thread().name}: 10 / {n} = {10 / n}")

def leave():
    raise SystemExit(2)   # ends the thread quietly under the default hook

print("default hook is the original:", threading.excepthook is threading.__excepthook__)
threading.excepthook = hook
for n in [5, 0]:
    t = threading.Thread(target=divide, args=(n,), name=f"divide-{n}")
    t.start()
    t.join()
t = threading.Thread(target=leave, name="leaver")
t.start()
t.join()
print("failed threads:", failures)

# Back to the default: a SystemExit prints nothing, and other exceptions
# go to stderr (not shown in this file's expected output).
threading.excepthook = threading.__excepthook__
for target in [leave, lambda: divide(0)]:
    t = threading.Thread(target=target)
    t.start()
    t.join()
print("main thread still running; hook args type:", threading.ExceptHookArgs)

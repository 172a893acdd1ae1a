# interleave: deterministic
# All threads of a program share one memory. A global variable, or a list
# that several threads can reach, is ONE object: a change made by one thread
# is seen by all the others. Local variables are different: every call of a
# function, in every thread, gets its own fresh set. (Forgetting `global`
# makes an assignment create a local instead of changing the shared global.)

import threading

greeting = "hello"      # one global variable for the whole program
visitors = []           # one list object, reachable from every thread
seen = {}               # each worker writes only its own key

def worker(name):
    steps = []          # a local: a new, private list in every call
    for i in range(3):
        steps.append(f"{name}{i}")
    visitors.append(name)           # appends to the ONE shared list
    seen[name] = (greeting, steps)

threads = [threading.Thread(target=worker, args=(n,)) for n in ["a", "b", "c"]]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("shared list (sorted):", sorted(visitors))
for name in sorted(seen):
    print(f"worker {name} saw {seen[name][0]!r}, its own local list {seen[name][1]}")

def change_greeting():
    global greeting
    greeting = "hi"                 # changes the shared global

def forget_global():
    greeting = "bonjour"            # creates a new local; the global is untouched

t = threading.Thread(target=change_greeting)
t.start()
t.join()
print("after change_greeting, main sees", repr(greeting))
t = threading.Thread(target=forget_global)
t.start()
t.join()
print("after forget_global, main still sees", repr(greeting))

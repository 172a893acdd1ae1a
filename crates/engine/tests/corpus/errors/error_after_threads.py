# interleave: error
# Threads finish their work, then the MAIN thread hits an uncaught error.
# The exception stops the program with exit status 1; the threads' output
# printed before that is kept.

import threading

scores = {}

def grade(name, points):
    scores[name] = "pass" if points >= 50 else "fail"

threads = [threading.Thread(target=grade, args=(n, p))
           for n, p in [("ann", 70), ("bob", 40)]]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("graded:", sorted(scores.items()))
print("cy:", scores["cy"])

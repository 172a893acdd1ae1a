# interleave: deterministic
# Arguments for the thread's function go in `args` (a tuple: note the
# trailing comma for one argument!) and `kwargs` (a dict).

import threading

def greet(name, times, punctuation="."):
    for i in range(times):
        print(f"hello {name}{punctuation} ({i + 1}/{times})")

t1 = threading.Thread(target=greet, args=("Ann", 2))
t2 = threading.Thread(target=greet, args=("Bob",), kwargs={"times": 1, "punctuation": "!"})
t1.start()
t1.join()
t2.start()
t2.join()
print("both greetings done")

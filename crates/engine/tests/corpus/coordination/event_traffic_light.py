# interleave: deterministic
# An Event is a flag threads can wait for. The traffic light sets it for
# green and clears it for red; each car checks is_set() when it arrives
# and, at red, waits with event.wait() until the light turns green.

import threading
import time

green = threading.Event()

def light():
    for i, color in enumerate(["RED", "GREEN", "RED", "GREEN"]):
        if i > 0:
            time.sleep(0.1)           # each color lasts 0.1 s
        print(f"light: {color}")
        if color == "GREEN":
            green.set()
        else:
            green.clear()

def car(name, arrival):
    time.sleep(arrival)
    if green.is_set():
        print(f"{name}: green, driving through")
    else:
        print(f"{name}: red, waiting")
        green.wait()
        print(f"{name}: light turned green, going")

threads = [threading.Thread(target=light)]
threads += [threading.Thread(target=car, args=(f"car{i}", t))
            for i, t in enumerate([0.05, 0.15, 0.25], start=1)]
for t in threads:
    t.start()
for t in threads:
    t.join()

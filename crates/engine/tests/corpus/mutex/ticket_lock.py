# interleave: deterministic
# The ticket race fixed: the whole read-check-write sequence is done while
# holding a lock, so the second buyer only reads the file after the first
# has written it. Exactly one ticket is sold, whoever wins.

import json
import threading
import time

storage = {"tickets.json": json.dumps({"count": 1})}
lock = threading.Lock()
results = {}

def buy(name):
    with lock:
        data = json.loads(storage["tickets.json"])
        if data["count"] > 0:
            time.sleep(0.01)
            data["count"] -= 1
            storage["tickets.json"] = json.dumps(data)
            results[name] = "bought"
        else:
            results[name] = "sold out"

buyers = [threading.Thread(target=buy, args=(f"buyer{i}",)) for i in range(5)]
for b in buyers:
    b.start()
for b in buyers:
    b.join()
outcomes = sorted(results.values())
print("bought:", outcomes.count("bought"), "| sold out:", outcomes.count("sold out"))
print("tickets left:", json.loads(storage["tickets.json"])["count"])

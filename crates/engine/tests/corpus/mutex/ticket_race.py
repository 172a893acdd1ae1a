# interleave: racy seeds=100
# Ticket buying without a lock. The "file" is a JSON string (think of it
# as tickets.json). Each buyer reads it, sees a ticket left, thinks for a
# moment, and writes back one fewer. Several buyers can all see the LAST
# ticket before anyone writes, so more tickets are sold than existed.

import json
import threading
import time

storage = {"tickets.json": json.dumps({"count": 1})}
sold = []

def buy(name):
    data = json.loads(storage["tickets.json"])
    if data["count"] > 0:
        time.sleep(0.01)                      # network delay
        data["count"] -= 1
        storage["tickets.json"] = json.dumps(data)
        sold.append(name)
        print(f"{name} bought a ticket!")
    else:
        print(f"{name}: sold out")

buyers = [threading.Thread(target=buy, args=(f"buyer{i}",)) for i in range(5)]
for b in buyers:
    b.start()
for b in buyers:
    b.join()
left = json.loads(storage["tickets.json"])["count"]
print(f"1 ticket existed, {len(sold)} were sold, {left} left")
assert 1 <= len(sold) <= 5 and left == 0

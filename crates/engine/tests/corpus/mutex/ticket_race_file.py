# interleave: racy seeds=100
# The ticket race as the tutorials write it: the tickets left are in a
# file, tickets.json. Each buyer reads the file, sees a ticket left,
# thinks for a moment and writes the file back with one fewer. Several
# buyers can see the LAST ticket before anyone writes, so more tickets
# are sold than existed: here every buyer reads the file before the
# first one, done thinking, writes it, so both buy the one ticket.

import json
import threading
import time

with open("tickets.json", "w") as f:
    json.dump({"count": 1}, f)
sold = []

def buy(name):
    with open("tickets.json") as f:
        data = json.load(f)
    if data["count"] > 0:
        time.sleep(0.01)                      # thinking it over
        data["count"] -= 1
        with open("tickets.json", "w") as f:
            json.dump(data, f)
        sold.append(name)
        print(f"{name} bought a ticket!")
    else:
        print(f"{name}: sold out")

buyers = [threading.Thread(target=buy, args=(f"buyer{i}",)) for i in range(2)]
for b in buyers:
    b.start()
for b in buyers:
    b.join()
with open("tickets.json") as f:
    left = json.load(f)["count"]
print(f"1 ticket existed, {len(sold)} were sold, {left} left")
assert 1 <= len(sold) <= 2 and left == 0

# interleave: deterministic
# A lock protects an invariant that spans several variables: the total
# money in two accounts. Each transfer takes from one and adds to the
# other under the same lock, so nobody can ever see (or break) a state
# where the money is "in flight".

import threading

accounts = {"alice": 100, "bob": 100}
lock = threading.Lock()
audits = []

def transfer(src, dst, amount, times):
    for _ in range(times):
        with lock:
            accounts[src] -= amount
            accounts[dst] += amount

def auditor(times):
    for _ in range(times):
        with lock:
            audits.append(accounts["alice"] + accounts["bob"])

threads = [
    threading.Thread(target=transfer, args=("alice", "bob", 3, 100)),
    threading.Thread(target=transfer, args=("bob", "alice", 2, 100)),
    threading.Thread(target=auditor, args=(300,)),
]
for t in threads:
    t.start()
for t in threads:
    t.join()
print("final:", accounts)
print("every audit saw a total of 200:", all(total == 200 for total in audits))

# interleave: deterministic
# A Manager() is a server process that holds a dict or a list for the
# other processes, which reach it through proxies: each operation is a
# request to the manager and its reply. `d[key] += 1` is two requests, a
# read and a write, so processes can lose updates on a managed dict just as
# on shared memory; a multiprocessing Lock around it keeps them all.
from multiprocessing import Manager, Process, Lock

def count(d, log, lock, name, n):
    for _ in range(n):
        with lock:
            d["hits"] += 1
    log.append(name)

if __name__ == "__main__":
    with Manager() as manager:
        d = manager.dict()
        d["hits"] = 0
        log = manager.list()
        lock = Lock()
        ps = [Process(target=count, args=(d, log, lock, f"p{i}", 20)) for i in range(3)]
        for p in ps:
            p.start()
        for p in ps:
            p.join()
        print("hits:", d["hits"], "len:", len(d), "keys:", d.keys(), "in:", "hits" in d)
        print("log:", sorted(log), len(log))
        print(d)
        d.update({"b": 2})
        print(sorted(d.items()), d.get("zzz", "none"))
        log.sort()
        print(log[0], list(log))

# interleave: deterministic
# A global is copied into each child, so three children adding to it
# change three copies. multiprocessing.Value puts a number in memory that
# every process shares; its get_lock() keeps `counter.value += 1` (a read
# and a write) from losing updates when processes interleave. Array is
# the same for a fixed-size list of numbers.
from multiprocessing import Process, Value, Array, Lock

plain = 0

def add(counter, slots, i, n):
    global plain
    for _ in range(n):
        plain += 1
        with counter.get_lock():
            counter.value += 1
    slots[i] = n * 10

if __name__ == "__main__":
    counter = Value("i", 0)
    slots = Array("i", 3)
    print(counter, len(slots), slots[:])
    ps = [Process(target=add, args=(counter, slots, i, 50)) for i in range(3)]
    for p in ps:
        p.start()
    for p in ps:
        p.join()
    print("shared counter:", counter.value)
    print("plain global in the parent:", plain)
    print("array:", list(slots))
    speed = Value("d", 1.5)
    speed.value *= 2
    print(speed.value, speed)
    lock = Lock()
    print(lock.acquire(), lock.acquire(False))
    lock.release()
    with lock:
        print("inside with")

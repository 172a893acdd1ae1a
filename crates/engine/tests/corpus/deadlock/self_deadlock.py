# interleave: deadlock
# A plain Lock does not remember who holds it. If the same thread calls
# acquire() twice without releasing, the second call waits for ITSELF to
# release the lock, which can never happen. (An RLock would allow this.)

import threading

lock = threading.Lock()

def update_total():
    with lock:
        print("update_total: got the lock")
        log_change()          # oops: log_change also takes the lock

def log_change():
    print("log_change: waiting for the lock...")
    with lock:
        print("log_change: never printed")

update_total()
print("never printed either")

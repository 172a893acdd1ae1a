import threading

balance = 0
lock = threading.Lock()


def deposit(times: int, amount: int = 1) -> None:
    global balance
    for _ in range(times):
        current = balance      # read
        current += amount      # modify
        balance = current      # write: another thread may have run in between


def safe_deposit(times, amount=1):
    global balance
    for _ in range(times):
        with lock:
            balance += amount


threads = [threading.Thread(target=deposit, args=(1000,)) for _ in range(4)]
for t in threads:
    t.start()
for t in threads:
    t.join()
print(f"expected {4 * 1000}, got {balance}")

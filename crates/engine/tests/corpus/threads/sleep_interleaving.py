# interleave: deterministic
# 两个线程“同时”唱歌和跳舞 (two threads sing and dance "at the same time").
# While one thread sleeps, the other can run, so their lines alternate.
# The sleeps are offset by 0.05 s, which fixes the order of every line.

import threading
import time

def sing():
    for i in range(3):
        if i > 0:
            time.sleep(0.1)
        print(f"正在唱歌... {i}")

def dance():
    for i in range(3):
        time.sleep(0.1 if i > 0 else 0.05)
        print(f"正在跳舞... {i}")

if __name__ == '__main__':
    t1 = threading.Thread(target=sing)
    t2 = threading.Thread(target=dance)
    t1.start()
    t2.start()
    t1.join()
    t2.join()
    print("演出结束 (show over)")

# interleave: deterministic
# The fix used by many tutorials for classic_mutex_ab.py: make both names
# point to ONE RLock (mutexA = mutexB = RLock()). A thread that holds it
# can take it again, and any other thread must wait for the whole func1
# or func2 to finish, so the circular wait can no longer happen.

from threading import Thread, RLock
import time

mutexA = mutexB = RLock()

class MyThread(Thread):
    def run(self):
        self.func1()
        self.func2()

    def func1(self):
        mutexA.acquire()
        print('%s 抢到了A锁' % self.name)
        mutexB.acquire()
        print('%s 抢到了B锁' % self.name)
        mutexB.release()
        mutexA.release()

    def func2(self):
        mutexB.acquire()
        print('%s 抢到了B锁' % self.name)
        time.sleep(0.1)
        mutexA.acquire()
        print('%s 抢到了A锁' % self.name)
        mutexA.release()
        mutexB.release()

if __name__ == '__main__':
    threads = []
    for i in range(2):
        t = MyThread()
        t.start()
        threads.append(t)
        time.sleep(0.05)
    for t in threads:
        t.join()
    print("no deadlock: both threads finished")

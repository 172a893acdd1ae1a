# interleave: deadlock
# 死锁的经典例子 (the classic deadlock from many Chinese tutorials).
# Each thread runs func1 (A then B) and then func2 (B then A). Thread-1
# finishes func1, takes B in func2 and sleeps; meanwhile Thread-2 takes A
# in func1 and waits for B. Thread-1 wakes up and waits for A: stuck.

from threading import Thread, Lock
import time

mutexA = Lock()
mutexB = Lock()

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
    for i in range(2):
        t = MyThread()
        t.start()
        time.sleep(0.05)

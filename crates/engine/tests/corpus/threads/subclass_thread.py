# interleave: deterministic
# Another classic style: subclass threading.Thread and put the work in
# run(). Your __init__ must call super().__init__() first, so the Thread
# machinery is set up. start() then calls run() in the new thread.

import threading
import time

class Downloader(threading.Thread):
    def __init__(self, filename, seconds):
        super().__init__()
        self.filename = filename
        self.seconds = seconds

    def run(self):
        time.sleep(self.seconds)
        print(f"{self.filename} done")

if __name__ == '__main__':
    jobs = [Downloader("a.txt", 0.15), Downloader("b.txt", 0.05), Downloader("c.txt", 0.1)]
    for job in jobs:
        print(f"starting download of {job.filename}")
        job.start()
    for job in jobs:
        job.join()
    print("all downloads finished")

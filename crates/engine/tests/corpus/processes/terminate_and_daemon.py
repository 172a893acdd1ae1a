# interleave: deterministic
# terminate() sends SIGTERM: the child dies where it is, and its exit
# code is minus the signal's number. A daemon process is terminated when
# the main process ends, instead of being waited for.
import multiprocessing
import time

def forever():
    while True:
        time.sleep(0.1)

def heartbeat():
    while True:
        time.sleep(1)

if __name__ == "__main__":
    p = multiprocessing.Process(target=forever, name="looper")
    p.start()
    time.sleep(0.25)
    print(p.name, "alive:", p.is_alive())
    p.terminate()
    p.join()
    print(p.name, "alive:", p.is_alive(), "exit code:", p.exitcode)
    print(repr(p).split(" pid=")[0], "...", repr(p).split(" ")[-2:])
    d = multiprocessing.Process(target=heartbeat, daemon=True)
    d.start()
    print("daemon:", d.daemon, "alive:", d.is_alive())
    print("main ends; the daemon goes with it")

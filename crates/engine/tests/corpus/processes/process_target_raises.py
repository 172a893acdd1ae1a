# interleave: error
# A process object can be started once. (Its child's own errors go to the
# child's stderr and exit code, not to the parent: see exitcode.)
import multiprocessing

def hello():
    pass

if __name__ == "__main__":
    p = multiprocessing.Process(target=hello)
    p.start()
    p.join()
    print("exit code", p.exitcode)
    p.start()

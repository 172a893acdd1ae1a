# interleave: deterministic
# logging with threadName, as many threading tutorials use it (here sent to
# stdout so it can be compared).
import logging
import sys
import threading
import time

logging.basicConfig(level=logging.DEBUG, stream=sys.stdout,
                    format='[%(levelname)s] (%(threadName)-10s) %(message)s')

def worker(delay):
    logging.debug('Starting')
    time.sleep(delay)
    logging.info('Exiting after %.1f s', delay)

threads = [threading.Thread(name='worker-%d' % i, target=worker, args=(0.1 * (i + 1),)) for i in range(3)]
for t in threads:
    t.start()
for t in threads:
    t.join()
logging.getLogger('app').warning('all %d workers done', len(threads))

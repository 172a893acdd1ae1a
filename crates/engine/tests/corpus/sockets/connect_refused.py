# interleave: error
# connect() to a port where no socket listens fails at once: the other
# side's kernel answers with a reset, and Python raises
# ConnectionRefusedError (errno 111, ECONNREFUSED). Nothing catches it
# here, so the program ends with a traceback.
import socket

with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
    print("connecting to a port where nobody listens...")
    s.connect(("127.0.0.1", 50110))
    print("never printed")

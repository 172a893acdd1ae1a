# socket on the virtual network, after CPython 3.11's socket module:
# TCP stream sockets over one machine's loopback (127.0.0.1), and
# socketpair(). The kernel side is `_socket` (the engine's sockets.rs):
# connections complete at once, data lands in the peer's buffer in the
# same step, and a socket closes with its last descriptor (a fork copies
# them). A socket's timeout lives here, as in CPython: None blocks, 0.0
# makes it non-blocking (BlockingIOError instead of a wait), a number of
# seconds waits that long and raises TimeoutError ("timed out").
#
# Not there: UDP (SOCK_DGRAM), IPv6, name resolution beyond 'localhost',
# makefile(), sendto/recvfrom, socket options other than SO_REUSEADDR
# (accepted and recorded; the virtual network has no TIME_WAIT).

import _socket as _k

AF_UNIX = 1
AF_INET = 2
AF_INET6 = 10
SOCK_STREAM = 1
SOCK_DGRAM = 2
SOL_SOCKET = 1
SO_REUSEADDR = 2
SO_KEEPALIVE = 9
SO_REUSEPORT = 15
SO_ERROR = 4
SO_RCVBUF = 8
SO_SNDBUF = 7
IPPROTO_TCP = 6
TCP_NODELAY = 1
SHUT_RD = 0
SHUT_WR = 1
SHUT_RDWR = 2
SOMAXCONN = 4096

error = OSError
timeout = TimeoutError


class herror(OSError):
    pass


class gaierror(OSError):
    pass


_GLOBAL_DEFAULT_TIMEOUT = object()
_default_timeout = None


def getdefaulttimeout():
    return _default_timeout


def setdefaulttimeout(t):
    global _default_timeout
    _default_timeout = _check_timeout(t)


def _check_timeout(t):
    if t is None:
        return None
    if not isinstance(t, (int, float)):
        raise TypeError("'%s' object cannot be interpreted as an integer or float" % type(t).__name__)
    if t < 0:
        raise ValueError("Timeout value out of range")
    return float(t)


def gethostname():
    return "interleave"


def gethostbyname(name):
    if name in ("localhost", "127.0.0.1", "", "interleave"):
        return "127.0.0.1"
    if name == "0.0.0.0":
        return name
    raise gaierror(-2, "Name or service not known")


class socket:
    def __init__(self, family=AF_INET, type=SOCK_STREAM, proto=0, fileno=None):
        if family not in (AF_INET, AF_UNIX):
            raise OSError(97, "Address family not supported by protocol")
        if type != SOCK_STREAM:
            raise NotImplementedError("Interleave's sockets are stream (TCP) sockets: SOCK_STREAM only")
        self.family = family
        self.type = type
        self.proto = proto
        self._fd = _k._open() if fileno is None else fileno
        self._timeout = _default_timeout
        self._options = {}

    def __repr__(self):
        closed = self._fd == -1
        s = "<socket.socket%s fd=%d, family=%d, type=%d, proto=%d" % (
            " [closed]" if closed else "", self._fd, self.family, self.type, self.proto)
        if not closed and self.family == AF_INET:
            laddr = _k._name(self._fd, False)
            if laddr != ("0.0.0.0", 0):
                s += ", laddr=%r" % (laddr,)
            try:
                s += ", raddr=%r" % (_k._name(self._fd, True),)
            except OSError:
                pass
        return s + ">"

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.close()

    def fileno(self):
        return self._fd

    def _check(self):
        if self._fd == -1:
            raise OSError(9, "Bad file descriptor")

    def setsockopt(self, level, option, value):
        self._check()
        self._options[(level, option)] = value

    def getsockopt(self, level, option, buflen=None):
        self._check()
        if (level, option) == (SOL_SOCKET, SO_ERROR):
            return _k._so_error(self._fd)
        return self._options.get((level, option), 0)

    def bind(self, address):
        self._check()
        _k._bind(self._fd, address)

    def listen(self, backlog=128):
        self._check()
        _k._listen(self._fd, backlog)

    def accept(self):
        self._check()
        fd, addr = _k._accept(self._fd, self._timeout)
        conn = socket(self.family, self.type, self.proto, fileno=fd)
        # As in CPython: the new socket blocks unless a default timeout is
        # set, whatever the listening socket's mode.
        conn._timeout = _default_timeout
        return conn, addr

    def connect(self, address):
        self._check()
        try:
            _k._connect(self._fd, address, self._timeout)
        except BlockingIOError:
            self._connecting = True
            raise
        except OSError as e:
            # The first connect() after a non-blocking one completed
            # succeeds, as on Linux.
            if e.errno == 106 and self._connecting:
                self._connecting = False
                return
            raise

    def connect_ex(self, address):
        try:
            self.connect(address)
        except OSError as e:
            if e.errno is None:
                raise
            return e.errno
        return 0

    _connecting = False

    def send(self, data, flags=0):
        self._check()
        return _k._send(self._fd, data, self._timeout)

    def sendall(self, data, flags=0):
        self._check()
        n = _k._send(self._fd, data, self._timeout)
        data = data[n:]
        while data:
            n = _k._send(self._fd, data, self._timeout)
            data = data[n:]

    def recv(self, bufsize, flags=0):
        self._check()
        return _k._recv(self._fd, bufsize, self._timeout)

    def shutdown(self, how):
        self._check()
        _k._shutdown(self._fd, how)

    def close(self):
        if self._fd != -1:
            _k._close(self._fd)
            self._fd = -1

    def detach(self):
        fd = self._fd
        self._fd = -1
        return fd

    def getsockname(self):
        self._check()
        if self.family == AF_UNIX:
            return ""
        return _k._name(self._fd, False)

    def getpeername(self):
        self._check()
        if self.family == AF_UNIX:
            return ""
        return _k._name(self._fd, True)

    def setblocking(self, flag):
        self._timeout = None if flag else 0.0

    def getblocking(self):
        return self._timeout != 0.0

    def settimeout(self, value):
        self._timeout = _check_timeout(value)

    def gettimeout(self):
        return self._timeout

    def makefile(self, *args, **kwargs):
        raise NotImplementedError("Interleave's sockets have no makefile(): use recv() and send()")


SocketType = socket


def socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0):
    return _socketpair(socket, family, type, proto)


def _socketpair(cls, family, type, proto):
    # (gevent.socket makes its own sockets with these.)
    a, b = _k._socketpair()
    return cls(family, type, proto, fileno=a), cls(family, type, proto, fileno=b)


def create_connection(address, timeout=_GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    return _create_connection(socket, address, timeout, source_address)


def _create_connection(cls, address, timeout, source_address):
    # (CPython's socket comes from getaddrinfo(), which says IPPROTO_TCP.)
    s = cls(AF_INET, SOCK_STREAM, IPPROTO_TCP)
    if timeout is not _GLOBAL_DEFAULT_TIMEOUT:
        s.settimeout(timeout)
    if source_address is not None:
        s.bind(source_address)
    try:
        s.connect(address)
    except BaseException:
        s.close()
        raise
    return s


def create_server(address, *, family=AF_INET, backlog=None, reuse_port=False, dualstack_ipv6=False):
    s = socket(family, SOCK_STREAM)
    try:
        s.setsockopt(SOL_SOCKET, SO_REUSEADDR, 1)
        try:
            s.bind(address)
        except OSError as err:
            msg = "%s (while attempting to bind on address %r)" % (err.strerror, address)
            raise OSError(err.errno, msg) from None
        if backlog is None:
            s.listen()
        else:
            s.listen(backlog)
    except BaseException:
        s.close()
        raise
    return s

# gevent.socket: sockets whose blocking calls switch to the hub instead of
# blocking the thread (see gevent.py). Each call first tries the kernel
# without waiting; when it would block, the greenlet registers the socket
# with the hub for reading or writing and switches away, and the hub
# switches back once a poll says the socket is ready. So one thread
# serves many connections, one greenlet each, with blocking-style code.
# A socket's timeout still holds (TimeoutError, "timed out"), and a
# non-blocking one (setblocking(False)) raises BlockingIOError as ever.
# Called from a thread that is not the hub's, the calls block as the
# socket module's do.

import socket as _socket_module
import _socket as _k
import gevent as _gevent
from greenlet import getcurrent as _getcurrent

from socket import (AF_INET, AF_UNIX, SOCK_STREAM, SOL_SOCKET, SO_REUSEADDR, SHUT_RD, SHUT_WR,
                    SHUT_RDWR, IPPROTO_TCP, error, timeout, gaierror, herror, gethostname,
                    gethostbyname, getdefaulttimeout, setdefaulttimeout)

_POLLIN = 1
_POLLOUT = 4

# The socket module's own class, kept before patch_all() replaces it.
_original = getattr(_socket_module.socket, '_original', _socket_module.socket)


class socket(_original):
    _gevent = True
    _original = _original

    def _cooperative(self):
        return self._timeout != 0.0 and _gevent._in_hub(_getcurrent())

    def _io(self, call, mask):
        # `call(0.0)` tries without waiting; `call(self._timeout)` is the
        # plain blocking call, for a thread outside the hub.
        if not self._cooperative():
            return call(self._timeout)
        while True:
            try:
                return call(0.0)
            except BlockingIOError as e:
                if e.errno == 115:
                    raise
                _gevent._wait_io(self._fd, mask, self._timeout)

    def accept(self):
        self._check()
        fd, addr = self._io(lambda t: _k._accept(self._fd, t), _POLLIN)
        conn = socket(self.family, self.type, self.proto, fileno=fd)
        conn._timeout = _socket_module.getdefaulttimeout()
        return conn, addr

    def connect(self, address):
        self._check()
        if not self._cooperative():
            return super().connect(address)
        try:
            _k._connect(self._fd, address, 0.0)
        except BlockingIOError as e:
            if e.errno != 115:
                raise
            _gevent._wait_io(self._fd, _POLLOUT, self._timeout)
            err = _k._so_error(self._fd)
            if err == 111:
                raise ConnectionRefusedError(111, 'Connection refused')
            if err:
                raise OSError(err, 'connect failed')

    def send(self, data, flags=0):
        self._check()
        return self._io(lambda t: _k._send(self._fd, data, t), _POLLOUT)

    def sendall(self, data, flags=0):
        self._check()
        n = self.send(data)
        data = data[n:]
        while data:
            n = self.send(data)
            data = data[n:]

    def recv(self, bufsize, flags=0):
        self._check()
        return self._io(lambda t: _k._recv(self._fd, bufsize, t), _POLLIN)


SocketType = socket


def socketpair(family=AF_UNIX, type=SOCK_STREAM, proto=0):
    return _socket_module._socketpair(socket, family, type, proto)


def create_connection(address, timeout=_socket_module._GLOBAL_DEFAULT_TIMEOUT, source_address=None):
    return _socket_module._create_connection(socket, address, timeout, source_address)


def wait_read(fileno, timeout=None):
    _gevent._wait_io(fileno, _POLLIN, timeout)


def wait_write(fileno, timeout=None):
    _gevent._wait_io(fileno, _POLLOUT, timeout)

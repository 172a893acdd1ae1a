# gevent.server.StreamServer: a TCP server that accepts in a greenlet of
# its own and spawns handle(socket, address) in a new greenlet for each
# connection, as gevent's does. serve_forever() starts it and waits until
# stop(); start() returns at once.

import gevent as _gevent
from gevent import socket as _gsocket


class StreamServer:
    backlog = 256

    def __init__(self, listener, handle=None, backlog=None, spawn='default', **ssl_args):
        if isinstance(listener, tuple):
            self.socket = None
            self._address = listener
        else:
            self.socket = listener
            self._address = listener.getsockname()
        if backlog is not None:
            self.backlog = backlog
        self.handle = handle
        self._acceptor = None
        self._stopped = None
        self.started = False

    @property
    def address(self):
        if self.socket is not None:
            return self.socket.getsockname()
        return self._address

    @property
    def server_host(self):
        return self.address[0]

    @property
    def server_port(self):
        return self.address[1]

    def init_socket(self):
        if self.socket is None:
            s = _gsocket.socket()
            s.setsockopt(_gsocket.SOL_SOCKET, _gsocket.SO_REUSEADDR, 1)
            s.bind(self._address)
            s.listen(self.backlog)
            self.socket = s
        elif not getattr(self.socket, '_gevent', False):
            # A socket of the socket module, made before patch_all():
            # the same kernel socket, under a cooperative object.
            self.socket = _gsocket.socket(self.socket.family, self.socket.type, self.socket.proto, fileno=self.socket.detach())

    def start(self):
        if self.started:
            return
        self.init_socket()
        self.started = True
        self._acceptor = _gevent.spawn(self._accept_loop)

    def _accept_loop(self):
        while True:
            try:
                conn, addr = self.socket.accept()
            except OSError:
                # The listening socket was closed by stop().
                return
            _gevent.spawn(self._handle, conn, addr)

    def _handle(self, conn, addr):
        try:
            self.handle(conn, addr)
        finally:
            conn.close()

    def serve_forever(self, stop_timeout=None):
        # Waits in the hub (which accepts and serves meanwhile) until
        # stop() switches back here.
        self.start()
        self._stopped = _gevent.getcurrent()
        try:
            _gevent.get_hub().switch()
        finally:
            self._stopped = None

    def stop(self, timeout=None):
        self.close()

    def close(self):
        if self.socket is not None:
            self.socket.close()
        if self._acceptor is not None:
            self._acceptor.kill(block=False)
        self.started = False
        if self._stopped is not None:
            _gevent.get_hub().callback(self._stopped.switch)

    @property
    def closed(self):
        return self.socket is None or self.socket.fileno() == -1

    def __enter__(self):
        return self

    def __exit__(self, *args):
        self.stop()

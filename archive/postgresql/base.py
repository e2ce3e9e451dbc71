"""Django's PostgreSQL backend, with a health check that gives up.

A persistent connection (CONN_MAX_AGE) is checked with `SELECT 1` before a request uses it
(CONN_HEALTH_CHECKS). When the server is frozen rather than stopped (SIGSTOP, a hung host),
that query waits forever: the server's kernel still acknowledges the packets, so neither TCP
keepalives nor `tcp_user_timeout` notice, and libpq has no client-side query timeout. So a
timer hangs up the socket when the check takes longer than the connect timeout; the check
then fails, Django opens a new connection, which `connect_timeout` bounds, and the request
answers 503 within seconds instead of holding its worker until gunicorn kills it.
"""

import os
import socket
import threading

from django.db.backends.postgresql import base

DEFAULT_CHECK_SECONDS = 2


class DatabaseWrapper(base.DatabaseWrapper):
    def is_usable(self):
        if self.connection is None:
            return False
        seconds = float(self.settings_dict["OPTIONS"].get("connect_timeout", DEFAULT_CHECK_SECONDS))
        with _HangUpAfter(self.connection.fileno(), seconds):
            return super().is_usable()


class _HangUpAfter:
    """Shut the socket `fd` down if the block has not ended within `seconds`."""

    def __init__(self, fd: int, seconds: float):
        self._fd = fd
        self._lock = threading.Lock()
        self._ended = False
        self._timer = threading.Timer(seconds, self._hang_up)
        self._timer.daemon = True

    def __enter__(self):
        self._timer.start()

    def __exit__(self, *exc_info):
        with self._lock:  # a hang-up that is under way finishes before the block ends
            self._ended = True
        self._timer.cancel()

    def _hang_up(self):
        with self._lock:
            if self._ended:
                return
            # shutdown() acts on the socket itself, not on this duplicate descriptor: libpq's
            # wait for the answer ends, and it reports the connection closed.
            with socket.socket(fileno=os.dup(self._fd)) as sock:
                sock.shutdown(socket.SHUT_RDWR)

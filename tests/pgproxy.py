"""A TCP forwarder between the app and the shared PostgreSQL server, to make the database
unreachable for one test without touching the server other tests use: `cut()` closes every
connection through it and stops listening (a new connection is refused, as from a host whose
PostgreSQL is down), `restore()` listens again on the same port. `cut_after_commit(marker)` cuts
at the worst moment for a write: the server has committed the transaction of the statement
`marker`, and the app never hears so."""

from __future__ import annotations

import socket
import threading
from urllib.parse import urlparse


class PgProxy:
    def __init__(self, upstream_url: str) -> None:
        target = urlparse(upstream_url)
        self.upstream = (target.hostname or "127.0.0.1", target.port or 5432)
        self.database = target.path.lstrip("/")
        self.user = target.username or "postgres"
        self.port = 0
        self.connections: list[socket.socket] = []
        self.lock = threading.Lock()
        self.listener: socket.socket | None = None
        self.accepted = 0
        self.armed: bytes | None = None
        self.cut_at_commit = threading.Event()
        self.restore()

    @property
    def url(self) -> str:
        """The database URL through the proxy."""
        return f"postgresql://{self.user}@127.0.0.1:{self.port}/{self.database}"

    def restore(self) -> None:
        listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        listener.bind(("127.0.0.1", self.port))
        listener.listen(64)
        self.port = listener.getsockname()[1]
        self.listener = listener
        threading.Thread(target=self._accept, args=(listener,), daemon=True).start()

    def cut(self) -> None:
        """Close every connection and refuse new ones."""
        listener, self.listener = self.listener, None
        if listener is not None:
            try:
                listener.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            listener.close()
        with self.lock:
            connections, self.connections = self.connections, []
        for conn in connections:
            try:
                conn.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            conn.close()

    close = cut

    def cut_after_commit(self, marker: bytes) -> None:
        """On the connection that next sends a statement containing `marker`, let the server's
        answer to its COMMIT (the transaction is committed by then) never reach the app: the
        answer is dropped and every connection cut (`cut_at_commit` is set then)."""
        self.cut_at_commit.clear()
        self.armed = marker

    def _accept(self, listener: socket.socket) -> None:
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return  # cut
            try:
                server = socket.create_connection(self.upstream, timeout=5)
                server.settimeout(None)
            except OSError:
                client.close()
                continue
            with self.lock:
                if self.listener is not listener:  # cut while connecting
                    client.close()
                    server.close()
                    return
                self.connections += [client, server]
                self.accepted += 1
            marked = threading.Event()  # this connection sent the armed statement
            threading.Thread(target=self._pump, args=(client, server, marked, True), daemon=True).start()
            threading.Thread(target=self._pump, args=(server, client, marked, False), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket, marked: threading.Event, to_server: bool) -> None:
        try:
            while data := source.recv(65536):
                if to_server and self.armed is not None and self.armed in data:
                    marked.set()
                # the server's CommandComplete "COMMIT": committed; the app must not learn it
                elif not to_server and marked.is_set() and b"C\x00\x00\x00\x0bCOMMIT\x00" in data:
                    self.armed = None
                    self.cut_at_commit.set()  # before the app can see the cut
                    self.cut()
                    return
                sink.sendall(data)
        except OSError:
            pass
        for s in (source, sink):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

"""Serving the app with uvicorn on a socket bound before the address is printed."""

from __future__ import annotations

import gc
import socket
from pathlib import Path

from invert.errors import LearnerError

WILDCARDS = ("0.0.0.0", "::", "")


def allowed_hosts(host: str, port: int) -> set[str]:
    """The Host headers a browser sends for this server (DNS rebinding gets refused); bound to
    every address, the machine's own names too (its IP addresses are let in by `Guard`).

    >>> sorted(allowed_hosts("127.0.0.1", 8765))
    ['127.0.0.1:8765', '[::1]:8765', 'localhost:8765']
    """
    names = {"127.0.0.1", "localhost", "[::1]"}
    if host not in ("127.0.0.1", "localhost"):
        names.add(host if ":" not in host else f"[{host}]")
    if host in WILDCARDS:
        hostname = socket.gethostname()
        names |= {hostname, socket.getfqdn(), f"{hostname}.local"}
    return {f"{name}:{port}" for name in names}


def bind(host: str, port: int) -> socket.socket:
    """A listening socket, or a one-line LearnerError (port taken, address not here)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror:
        raise LearnerError(f"--host {host}: not an address this machine knows") from None
    family, kind, proto, _, address = infos[0]
    # With the protocol named (IPPROTO_TCP), asyncio sets TCP_NODELAY on each connection;
    # without it every response waited ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno in (98, 48):  # EADDRINUSE on Linux, macOS
            raise LearnerError(
                f"port {port} is already in use (another invert serve?); try --port {port + 1}"
            ) from None
        raise LearnerError(f"cannot listen on {host}:{port}: {exc.strerror}") from None
    sock.listen(128)
    sock.set_inheritable(True)
    return sock


def run(root: Path, token: str, sock: socket.socket, host: str, port: int) -> None:
    import uvicorn

    from invert.web.app import create_app

    app = create_app(root, token, allowed_hosts(host, port), port if host in WILDCARDS else None)
    # The catalogue, SymPy's and pandas' modules are long-lived: keep them out of the garbage
    # collector's full passes, whose pauses showed as the slowest page loads under load.
    gc.collect()
    gc.freeze()
    config = uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off")
    server = uvicorn.Server(config)
    server.run(sockets=[sock])
    if server.should_exit:  # uvicorn shut down on Ctrl-C: the CLI says so and exits 130
        raise KeyboardInterrupt

"""Messages over a Unix socket: pickled objects, each behind its length, framed as
`multiprocessing.connection.Connection` frames them (the engine reads with a Connection), in a
few lines that import nothing heavy: the command that talks to the engine stays light."""

from __future__ import annotations

import pickle
import select
import socket
import struct
from pathlib import Path
from typing import Any


class Wire:
    """One connection to the engine."""

    def __init__(self, raw: socket.socket) -> None:
        self.raw = raw

    @classmethod
    def dial(cls, path: Path) -> Wire:
        raw = socket.socket(socket.AF_UNIX)
        try:
            raw.connect(str(path))
        except OSError:
            raw.close()
            raise
        return cls(raw)

    def send(self, message: Any) -> None:
        body = pickle.dumps(message, protocol=pickle.HIGHEST_PROTOCOL)
        if len(body) > 0x7FFFFFFF:
            header = struct.pack("!i", -1) + struct.pack("!Q", len(body))
        else:
            header = struct.pack("!i", len(body))
        self.raw.sendall(header + body)

    def recv(self) -> Any:
        """The next message; EOFError when the engine hung up."""
        (size,) = struct.unpack("!i", self._exactly(4))
        if size == -1:
            (size,) = struct.unpack("!Q", self._exactly(8))
        return pickle.loads(self._exactly(size))

    def poll(self, timeout: float | None) -> bool:
        """Whether a message (or the hang-up) is waiting, within `timeout` seconds."""
        ready, _, _ = select.select([self.raw], [], [], timeout)
        return bool(ready)

    def _exactly(self, size: int) -> bytes:
        chunks = bytearray()
        while len(chunks) < size:
            chunk = self.raw.recv(size - len(chunks))
            if not chunk:
                raise EOFError
            chunks += chunk
        return bytes(chunks)

    def close(self) -> None:
        self.raw.close()

    def __enter__(self) -> Wire:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""One-time tokens for the playground's run form: one form sent twice records one prediction.

Each rendering of the form (and each result, for the next run) carries a fresh random token in
a hidden field. The server remembers the tokens it has accepted; a second POST with the same
token (a double click, a resent request) is refused with HTTP 409 before anything is recorded
or started. A submission that fails before its run is recorded (a bad value, a failed sweep)
gives its token back, so the same form can be corrected and sent again.
"""

from __future__ import annotations

import secrets
import threading
from collections import OrderedDict

KEEP_TOKENS = 10_000  # accepted tokens remembered; older ones belong to long-closed pages
TOKEN_FIELD = "once"


def fresh_token() -> str:
    """A new token for one submission of the run form."""
    return secrets.token_urlsafe(16)


class Submissions:
    """The tokens accepted so far, newest last (thread-safe: pages run in worker threads)."""

    def __init__(self, keep: int = KEEP_TOKENS) -> None:
        self._accepted: OrderedDict[str, None] = OrderedDict()
        self._keep = keep
        self._lock = threading.Lock()

    def claim(self, token: str) -> bool:
        """Accept `token` once: True the first time, False for every later submission."""
        with self._lock:
            if token in self._accepted:
                return False
            self._accepted[token] = None
            while len(self._accepted) > self._keep:
                self._accepted.popitem(last=False)
            return True

    def release(self, token: str) -> None:
        """Give a token back: its submission recorded nothing, so it may be sent again."""
        with self._lock:
            self._accepted.pop(token, None)

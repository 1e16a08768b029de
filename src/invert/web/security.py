"""Who may use the web app: the token, as Jupyter does it, checks on Host and Origin, CSRF.

* Every request carries the token: in the URL once (``/?token=...``, what `invert serve`
  prints and opens), which starts a session: an HttpOnly cookie named after the server's port
  holds a random session id, never the token, so two labs served at once keep their own
  sessions and no other local service sees the token. Scripts may send
  ``Authorization: token ...`` instead.
* The Host header must name the address the server is bound to, so a web page elsewhere
  cannot reach the app through DNS rebinding. Bound to every address (``--host 0.0.0.0``),
  the server also answers a Host that is an IP address with its port: other machines name it
  so, and rebinding needs a domain name.
* A state-changing request authenticated by the cookie must carry the CSRF token (the
  ``X-CSRF-Token`` header htmx sends, or a ``csrf`` form field) and, when the browser sends an
  Origin, come from the app's own origin. A request with the Authorization header needs neither:
  no browser adds that header by itself.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import secrets
from collections import OrderedDict
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any
from urllib.parse import parse_qsl, urlencode

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

COOKIE = "invert_session"  # the cookie's name is this and the server's port
MAX_SESSIONS = 1000  # logins kept; the oldest is forgotten first
CSRF_HEADER = "x-csrf-token"
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
# What the refusal page itself needs: served without the token (they hold nothing of the lab).
PUBLIC = frozenset({"/static/style.css", "/static/favicon.svg"})


def csrf_token(token: str) -> str:
    """The CSRF token for a server token: derived from it, so nothing else needs storing.

    >>> csrf_token("abc") == csrf_token("abc") != csrf_token("abd")
    True
    """
    return hmac.new(token.encode(), b"invert-csrf", hashlib.sha256).hexdigest()


def cookie_name(scope: Scope) -> str:
    """The session cookie's name for the server answering `scope`: cookies ignore the port, so
    two servers on one machine need two names.

    >>> cookie_name({"server": ("127.0.0.1", 8765)})
    'invert_session_8765'
    """
    server = scope.get("server")
    return f"{COOKIE}_{server[1]}" if server and server[1] else COOKIE


def _same(a: str | None, b: str) -> bool:
    return a is not None and hmac.compare_digest(a.encode(), b.encode())


class Guard:
    """ASGI middleware: token, Host, Origin and CSRF checks before any route runs."""

    def __init__(
        self,
        app: ASGIApp,
        token: str,
        hosts: set[str],
        forbidden: ASGIApp,
        headers: tuple[tuple[str, str], ...] = (),
        any_ip_port: int | None = None,
    ) -> None:
        self.app = app
        self.token = token
        self.csrf = csrf_token(token)
        self.hosts = hosts
        self.any_ip_port = any_ip_port  # bound to every address: any IP literal with this port
        self.sessions: OrderedDict[str, None] = OrderedDict()  # ids handed out, in memory only
        self.forbidden = forbidden  # renders the refusal as a page or JSON
        self.headers = [(k.encode(), v.encode()) for k, v in headers]

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(scope, send)
        headers = {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}
        host = headers.get("host", "")
        if not self._our_host(host):
            await self._refuse(scope, receive, send, "this server answers only on its own address")
            return
        if scope["path"] in PUBLIC and scope["method"] in SAFE_METHODS:
            await self.app(scope, receive, send)
            return
        query = dict(parse_qsl(scope.get("query_string", b"").decode("latin-1")))
        if _same(query.get("token"), self.token):
            await self._enter(scope, query, send)
            return
        via = self._authenticated(scope, headers)
        if via is None:
            await self._refuse(
                scope,
                receive,
                send,
                "open the address `invert serve` printed: it holds the token this lab needs",
            )
            return
        if via == "cookie" and scope["method"] not in SAFE_METHODS:
            origin = headers.get("origin")
            if origin is not None and origin.split("://", 1)[-1] != host:
                await self._refuse(scope, receive, send, "a request from another site was refused")
                return
            if not _same(headers.get(CSRF_HEADER), self.csrf):
                body = await _read_body(receive)
                form = dict(parse_qsl(body.decode("latin-1"))) if body is not None else {}
                if not _same(form.get("csrf"), self.csrf):
                    await self._refuse(
                        scope, receive, send, "the form had no valid CSRF token; reload the page"
                    )
                    return
                receive = _replay(body or b"", receive)
        scope.setdefault("state", {})["auth"] = via
        await self.app(scope, receive, send)

    def _our_host(self, host: str) -> bool:
        if host in self.hosts:
            return True
        name, _, port = host.rpartition(":")
        if self.any_ip_port is None or port != str(self.any_ip_port):
            return False
        try:
            ipaddress.ip_address(name.removeprefix("[").removesuffix("]"))
        except ValueError:
            return False
        return True

    def _with_headers(self, scope: Scope, send: Send) -> Send:
        """Every response gets the security headers; pages (not static files) `no-store`."""
        extra = list(self.headers)
        if not scope["path"].startswith(("/static/", "/vendor/")):
            extra.append((b"cache-control", b"no-store"))

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                names = {name.lower() for name, _ in message.get("headers", [])}
                message["headers"] = [
                    *message.get("headers", []),
                    *(pair for pair in extra if pair[0] not in names),
                ]
            await send(message)

        return sending

    def _authenticated(self, scope: Scope, headers: dict[str, str]) -> str | None:
        scheme, _, value = headers.get("authorization", "").partition(" ")
        if scheme.lower() in ("token", "bearer") and _same(value.strip(), self.token):
            return "header"
        # Parsed by hand: SimpleCookie gives up on the whole header at one cookie it dislikes,
        # and other services on 127.0.0.1 set cookies for the same host.
        name = cookie_name(scope)
        for pair in headers.get("cookie", "").split(";"):
            key, _, value = pair.strip().partition("=")
            if key == name and value in self.sessions:
                return "cookie"
        return None

    async def _enter(self, scope: Scope, query: dict[str, str], send: Send) -> None:
        """The first visit: start a session in a cookie and send the browser to the same page
        without the token."""
        rest = urlencode({k: v for k, v in query.items() if k != "token"})
        location = scope["path"] + (f"?{rest}" if rest else "")
        session = secrets.token_urlsafe(32)
        self.sessions[session] = None
        while len(self.sessions) > MAX_SESSIONS:
            self.sessions.popitem(last=False)
        cookie = f"{cookie_name(scope)}={session}; HttpOnly; SameSite=Strict; Path=/"
        await send(
            {
                "type": "http.response.start",
                "status": 303,
                "headers": [
                    (b"location", location.encode("latin-1")),
                    (b"set-cookie", cookie.encode("latin-1")),
                    (b"cache-control", b"no-store"),
                    (b"content-length", b"0"),
                ],
            }
        )
        await send({"type": "http.response.body", "body": b""})

    async def _refuse(self, scope: Scope, receive: Receive, send: Send, reason: str) -> None:
        scope.setdefault("state", {})["refusal"] = reason
        await self.forbidden(scope, receive, send)


MAX_FORM_BYTES = 1 << 20


async def _read_body(receive: Receive) -> bytes | None:
    """The whole request body, or None past MAX_FORM_BYTES (no form here is that big)."""
    chunks, size = [], 0
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return None
        chunk = message.get("body", b"")
        size += len(chunk)
        if size > MAX_FORM_BYTES:
            return None
        chunks.append(chunk)
        if not message.get("more_body", False):
            return b"".join(chunks)


def _replay(body: bytes, then: Receive) -> Receive:
    """A receive that gives the body already read, then waits on the real one (disconnect)."""
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return await then()
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive

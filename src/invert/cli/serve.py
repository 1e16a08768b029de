"""`invert serve`: the lab in a browser, on this machine only unless told otherwise."""

from __future__ import annotations

from typing import Annotated

import typer

from invert.cli.output import console

LOOPBACK = "127.0.0.1"


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    port: Annotated[
        int, typer.Option("--port", min=1, max=65535, help="The port to listen on.")
    ] = 8765,
    host: Annotated[
        str,
        typer.Option(
            "--host",
            help="The address to bind. 0.0.0.0 lets other machines on your network use the "
            "lab with the printed token (plain HTTP: share it only on a network you trust).",
        ),
    ] = LOOPBACK,
    no_browser: Annotated[
        bool, typer.Option("--no-browser", help="Print the address; do not open a browser.")
    ] = False,
) -> None:
    """Open the lab in a browser: dashboard, playground, journal, cards, drills, review.

    Serves on 127.0.0.1 with a fresh token in the address, as Jupyter does; the page sets a
    cookie from it, so the token leaves the address bar after the first visit. Ctrl-C stops it.
    """
    import secrets
    import socket
    import webbrowser

    from invert.cli.stopping import keep
    from invert.lab import open_lab
    from invert.requirements import require
    from invert.web.server import WILDCARDS, bind, run

    require(("fastapi", "uvicorn", "multipart"), "invert serve")
    with open_lab() as lab:
        root = lab.root
    sock = bind(host, port)
    token = secrets.token_urlsafe(24)
    url = f"http://{host if ':' not in host else f'[{host}]'}:{port}/?token={token}"
    out = console()
    if host != LOOPBACK:
        console(stderr=True).print(
            f"[yellow]warning[/yellow]: listening on {host}, not only this machine: anyone on "
            "your network who has the token can use your lab, and plain HTTP does not hide the "
            "token from the network; use it only on a network you trust",
            soft_wrap=True,
        )
    out.print(f"invert is serving the lab {root}")
    out.print(f"Open: {url}", soft_wrap=True)
    if host in WILDCARDS:
        other = f"http://{socket.gethostname()}:{port}/?token={token}"
        out.print(f"From another machine: {other} (or this machine's IP address)", soft_wrap=True)
    out.print("Press Ctrl-C to stop.")
    keep("the server is down; everything it saved is in your lab")
    if not no_browser:
        webbrowser.open(url)
    run(root, token, sock, host, port)

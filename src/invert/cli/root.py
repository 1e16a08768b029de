"""The `invert` command. Thin: every command parses its arguments and calls the Lab facade.

Nothing heavy is imported here: `invert --help` must stay fast (tests/test_lazy_imports.py).
"""

from __future__ import annotations

import sys
from typing import Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from invert._version import __version__
from invert.errors import LearnerError

# The Click that Typer runs on (its own copy in newer Typer releases): its usage errors.
_click = sys.modules[TyperGroup.__mro__[1].__module__.rsplit(".", 1)[0] + ".exceptions"]
UsageError: type[Exception] = _click.UsageError
NoArgsIsHelpError: type[Exception] = _click.NoArgsIsHelpError


class InvertGroup(TyperGroup):
    """Turns a LearnerError, or a mistyped option, anywhere below into one line on stderr and
    exit code 2; a Ctrl-C into one line saying what was kept, and exit code 130."""

    def make_context(self, info_name: Any, args: Any, parent: Any = None, **extra: Any) -> Any:
        # The root's own options are parsed here, before invoke(): `invert --frobnicate`.
        try:
            return super().make_context(info_name, args, parent=parent, **extra)
        except UsageError as exc:
            _usage_error(exc)

    def invoke(self, ctx: Any) -> Any:
        from invert.cli.stopping import forget

        forget()
        try:
            return super().invoke(ctx)
        except KeyboardInterrupt as exc:
            from invert.cli.stopping import stopped

            stopped(exc)
        except LearnerError as exc:
            from invert.cli.output import fail

            fail(str(exc))
        except UsageError as exc:
            _usage_error(exc)
        except Exception as exc:
            # A Ctrl-C that lands while a compiled module initialises (scikit-learn importing
            # SciPy at the start of a sweep) comes out as an ImportError raised from it.
            interrupt = _interrupt_behind(exc)
            if interrupt is None:
                raise
            from invert.cli.stopping import stopped

            stopped(interrupt)


def _interrupt_behind(exc: BaseException) -> KeyboardInterrupt | None:
    """The Ctrl-C an exception was raised from (its cause, or what it was handling), if any."""
    seen: set[int] = set()
    link: BaseException | None = exc
    while link is not None and id(link) not in seen:
        if isinstance(link, KeyboardInterrupt):
            return link
        seen.add(id(link))
        link = link.__cause__ or link.__context__
    return None


def _usage_error(exc: Exception) -> NoReturn:
    """A mistyped command line: one line on stderr, exit code 2 (a bare group: its help)."""
    from invert.cli.output import fail

    where = getattr(exc, "ctx", None)
    if isinstance(exc, NoArgsIsHelpError):  # `invert project` alone: its help, as `invert` does
        typer.echo(exc.format_message(), err=True)  # type: ignore[attr-defined]
        raise typer.Exit(2)
    command = where.command_path if where is not None else "invert"
    message = exc.format_message().strip().replace("\n", " ")  # type: ignore[attr-defined]
    fail(f"{message} (see `{command} --help`)")


def _version(value: bool) -> None:
    if value:
        typer.echo(f"invert {__version__}")
        raise typer.Exit()


def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_version, is_eager=True, help="Show the version and exit."
        ),
    ] = False,
    no_pager: Annotated[
        bool,
        typer.Option(
            "--no-pager", help="Print long output straight out, not through PAGER (less -FRX)."
        ),
    ] = False,
) -> None:
    """Learn machine learning top-down: run it, change it, predict it, then understand it."""
    from invert.cli import pager

    pager.enable(not no_pager)


def make_app() -> typer.Typer:
    """The `invert` command: every registered kind's commands, in the registry's order, then
    the commands about the whole lab. Made once at import; a test that registers a kind of its
    own makes another."""
    from invert.cli import dev, journal, progress, serve
    from invert.kinds import exercise_cli, kinds

    made = typer.Typer(
        cls=InvertGroup,
        name="invert",
        help="Learn machine learning top-down: run working code, change one thing, predict, "
        "then read the theory that answers your questions.",
        no_args_is_help=True,
        add_completion=True,
        pretty_exceptions_enable=False,
        # Rich-formatted help costs ~100 ms of imports (rich.markdown); plain help stays fast.
        rich_markup_mode=None,
    )
    made.callback()(root)
    for kind in kinds():
        for module in kind.cli:
            kind.module(module).register(made)
    exercise_cli.register(made)
    journal.register(made)
    progress.register(made)
    serve.register(made)
    made.add_typer(dev.app, name="dev")
    return made


app = make_app()


def main(command: Any = None) -> None:
    """Run the command line; `command` is `app` already built as a Click command (the warm
    engine builds it once, for every `invert run` it runs: invert/engine/server.py)."""
    from invert.cli.stopping import ignore_late_ctrl_c, release_workers, stopped

    try:
        try:
            (command or app)()
        finally:
            release_workers()
            ignore_late_ctrl_c()
    except KeyboardInterrupt as exc:
        stopped(exc)

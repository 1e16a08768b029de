"""Theory commands: learn, derive, review, rules, ladder."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Annotated, Any

import typer

from invert.cli.output import console, emit_json
from invert.cli.pager import paged
from invert.progress.review_plan import DAILY_REVIEWS

if TYPE_CHECKING:
    from invert.kinds.theory.derive import DeriveSession
    from invert.lab import Lab


rules_app = typer.Typer(invoke_without_command=True)


def register(app: typer.Typer) -> None:
    app.command("learn")(learn)
    app.command("derive")(derive)
    app.command("review")(review)
    app.add_typer(rules_app, name="rules")
    app.command("ladder")(ladder)


def _lab_or_none() -> Lab | None:
    from invert.lab import find_lab_root, open_lab

    return open_lab() if find_lab_root() is not None else None


def learn(
    concept: Annotated[
        str | None, typer.Argument(help="A concept card id; leave out to see what to read next.")
    ] = None,
    run: Annotated[
        bool, typer.Option("--run", help="Fit the from-scratch code beside scikit-learn.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Read a concept card: the idea, the formula, the code, a derivation, what to read next.

    Without an id: the cards that answer your open why-questions, ranked, and the math topics
    your experiments have made useful.
    """
    from invert.catalog.loader import load_catalog
    from invert.kinds.theory.ops import all_topics_locked, overview, view_card

    catalog = load_catalog()
    lab = _lab_or_none()
    try:
        if concept is None:
            if lab is not None:
                view = lab.theory.overview()
            else:
                view = overview(catalog, [], all_topics_locked(catalog))
            if as_json:
                emit_json(
                    {
                        "suggestions": [asdict(s) for s in view.suggestions],
                        "topics": {k: asdict(v) for k, v in view.topics.items()},
                        "cards": [c.id for c in view.cards],
                    }
                )
                return
            from invert.kinds.theory.cli_cards import print_overview

            with paged():
                print_overview(console(), view, catalog)
            return
        if run:
            from invert.cli.working import working
            from invert.kinds.theory.compare import run_side_by_side

            card = catalog.card(concept)
            with working(f"Running {card.id} from scratch and in scikit-learn", quiet=as_json):
                result = lab.theory.run_card(card.id) if lab else run_side_by_side(card.run)
            if as_json:
                emit_json({"card": card.id, **asdict(result), "within": result.within})
                return
            from invert.kinds.theory.cli_cards import print_side_by_side

            print_side_by_side(console(), card.id, result)
            return
        if lab is not None:
            card_view = lab.theory.open_card(concept)
        else:
            card_view = view_card(catalog, concept, all_topics_locked(catalog))
        if as_json:
            emit_json(
                {
                    "card": asdict(card_view.card) | {"formula": asdict(card_view.card.formula)},
                    "title": card_view.concept.title,
                    "status": None if card_view.status is None else asdict(card_view.status),
                    "rules": [r.id for r in card_view.rules],
                    "in_toolkit": sorted(card_view.in_toolkit),
                },
            )
            return
        from invert.kinds.theory.cli_cards import print_card
        from invert.kinds.theory.verify import scratch_source

        with paged():
            print_card(console(), card_view, catalog, scratch_source(card_view.card))
    finally:
        if lab is not None:
            lab.close()


# The words a derive session understands at its prompts, besides an expression or a rule.
DERIVE_WORDS = (
    ("hint", "the rule to use; again, the step itself"),
    ("show", "see the step and move on"),
    ("rules", "the list of rules"),
    ("help", "this list (also ?)"),
    ("quit", "stop; the steps you finished stay in your journal"),
)
_HELP = ("help", "?")


def derive(
    concept: Annotated[str, typer.Argument(help="A card id (or a derivation id).")],
) -> None:
    """Work a card's derivation yourself, step by step, checked by SymPy.

    At each step type the next expression (SymPy syntax: 2*x, x**2, exp(x), log(x),
    Derivative(f, x); an equation is a == b) and then the rule you applied (its id or name).
    Type `hint` for the rule, `hint` again for the step, `show` to see the step and move on,
    `rules` for the rule list, `help` (or `?`) for these words, `quit` to stop. When the
    expression is right and only the rule is wrong, you are asked for the rule again.
    """
    from rich.prompt import Prompt

    from invert.cli.stopping import keep
    from invert.lab import open_lab

    out = console()
    with open_lab() as lab:
        session = lab.theory.start_derivation(concept)
        keep("the steps you finished are in your journal")
        d = session.derivation
        out.print(f"[bold]{d.title}[/bold]")
        out.print(d.goal)
        out.print(f"Start:  {d.start}")
        out.print(session.shown(d.start))
        out.print(f"[dim]{d.start_note}[/dim]")
        names = ", ".join(d.context.names())
        out.print(f"[dim]Names you can use: {names}. An equation is written a == b.[/dim]")
        words = ", ".join(f"`{word}`" for word, _ in DERIVE_WORDS)
        out.print(f"At either prompt you can also type {words}.")
        while not session.done:
            index = session.position
            out.print()
            out.print(
                f"[bold]Step {index + 1} of {len(d.steps)}[/bold]  (from: {session.previous})"
            )
            try:
                expression = _ask_until(Prompt, "expression", session, lab)
                if expression is None:
                    return
                if session.position != index:  # `show` gave the step away
                    continue
                attempt = None
                while True:
                    rule_text = _ask_until(Prompt, "rule", session, lab)
                    if rule_text is None:
                        return
                    if session.position != index:  # `show` gave the step away
                        attempt = None
                        break
                    attempt = session.attempt(expression, rule_text)
                    lab.theory.record_attempt(session, attempt, index)
                    if attempt.accepted or not attempt.expression_ok:
                        break
                    # The expression was right: only the rule is asked for again.
                    out.print(f"[yellow]Not yet[/yellow]: {attempt.message}")
                    out.print("[dim]Your expression stands; type the rule again.[/dim]")
            except EOFError:
                out.print("\nStopped; the steps you finished are in your journal.")
                return
            if attempt is None:
                continue
            if attempt.accepted and attempt.step is not None:
                step = d.steps[attempt.step]
                out.print(f"[green]Right[/green]: {step.note}")
                if "".join(expression.split()) != "".join(step.expr.split()):
                    out.print(f"[dim]The card writes it as {step.expr}[/dim]")
                out.print(session.shown(expression))
                out.print(f"[dim]{attempt.rule}: reviewed as {attempt.rating}[/dim]")
            elif attempt.accepted:
                out.print(
                    f"[green]Right[/green]: one step by {attempt.rule}, in an order of your own; "
                    "the next step starts from your expression"
                )
                out.print(session.shown(expression))
                out.print(f"[dim]{attempt.rule}: reviewed as {attempt.rating}[/dim]")
            else:
                out.print(f"[yellow]Not yet[/yellow]: {attempt.message}")
        out.print()
        out.print(f"[bold]Done.[/bold] {d.conclusion}")
        out.print("`invert rules` shows your toolkit and when each rule is due.")


def _ask_until(prompt: Any, label: str, session: DeriveSession, lab: Lab) -> str | None:
    """Ask for an expression or a rule, answering the session's words on the way; None to quit.

    After `show` the step has moved on: the caller sees it in `session.position`.
    """
    index = session.position
    while True:
        answer = str(prompt.ask(f"  {label}")).strip()
        word = answer.lower()
        if word in ("quit", "q", "exit"):
            console().print("Stopped; the steps you finished are in your journal.")
            return None
        if word in ("hint", "show", "rules", *_HELP):
            _command(session, word, lab)
            if session.position != index:
                return answer
            continue
        return answer


def _command(session: DeriveSession, command: str, lab: Lab) -> None:
    printer = console()
    if command == "hint":
        printer.print(f"[cyan]Hint[/cyan]: {session.hint()}")
    elif command == "show":
        index = session.position
        step = session.reveal()
        lab.theory.record_attempt(session, session.log[-1], index)
        printer.print(f"The step was: {step.expr}  (by {step.rule}: {step.note})")
        printer.print(session.shown(step.expr))
    elif command == "rules":
        for rule in sorted(session.rules.values(), key=lambda r: (r.topic, r.id)):
            printer.print(f"  {rule.id:28} {rule.name}")
    else:
        printer.print("Type the next expression, then the rule you applied; or one of:")
        for word, what in DERIVE_WORDS:
            printer.print(f"  {word:6} {what}")


def review(
    limit: Annotated[
        int,
        typer.Option("--limit", min=1, help="At most this many rules, the most overdue first."),
    ] = DAILY_REVIEWS,
) -> None:
    """Review the rules that are due: see the pattern, recall the rule, rate your recall.

    One session takes the most overdue rules, ten by default; the rest wait for another day.
    Scheduling is FSRS (the `fsrs` package): a rule you recall easily comes back later.
    """
    from rich.prompt import Prompt

    from invert.cli.stopping import keep
    from invert.kinds.theory.toolkit import RATINGS
    from invert.lab import open_lab

    keep("the reviews you rated are saved")
    out = console()
    with open_lab() as lab:
        every = lab.theory.due_rules()
        due = every[:limit]
        if not due:
            soonest = lab.theory.next_review()
            if soonest is None:
                out.print(
                    "Your toolkit is empty: add a rule (`invert rules add ID`) or work a "
                    "derivation (`invert derive ID`)."
                )
            else:
                when = soonest.row.due[:16].replace("T", " ")
                out.print(f"Nothing is due. Next: {soonest.rule.name}, at {when} UTC.")
            return
        if len(every) > len(due):
            out.print(f"The {len(due)} most overdue of {len(every)} rules due; the rest wait.")
        else:
            out.print(f"{len(due)} rule(s) due.")
        shortcuts = {"1": "again", "2": "hard", "3": "good", "4": "easy"}
        for i, entry in enumerate(due, start=1):
            rule = entry.rule
            out.print()
            out.print(f"[bold]{i}/{len(due)}[/bold]  When you see: {rule.pattern}")
            try:
                Prompt.ask("  which rule applies? (recall it, then press Enter)", default="")
                out.print(f"  [bold]{rule.name}[/bold] ({rule.id}): {rule.statement}")
                out.print(f"  [dim]Example: {rule.example}[/dim]")
                answer = Prompt.ask(
                    "  how well did you recall it? again(1) hard(2) good(3) easy(4)",
                    choices=[*RATINGS, *shortcuts],
                    show_choices=False,
                )
            except EOFError:
                out.print("\nStopped; the reviews you rated are saved.")
                return
            updated = lab.theory.review_rule(rule.id, shortcuts.get(answer, answer))
            out.print(f"  next review: {updated.row.due[:16].replace('T', ' ')} UTC")


@rules_app.callback()
def rules(
    ctx: typer.Context,
    show_all: Annotated[
        bool, typer.Option("--all", help="Every rule invert knows, not only your toolkit.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Your toolkit: the rules you have worked with, with when each is due for review.

    A rule joins it when you apply it in a derivation step (`invert derive ID`) or add it
    (`invert rules add ID`); reading a card does not add its rules.
    """
    if ctx.invoked_subcommand is not None:
        return
    if show_all:
        from invert.catalog.loader import load_catalog

        catalog = load_catalog()
        every = sorted(catalog.theory.rules.values(), key=lambda r: (r.topic, r.id))
        if as_json:
            emit_json([asdict(r) | {"check": r.check is not None} for r in every])
            return
        with paged():
            for rule in every:
                console().print(f"[bold]{rule.id}[/bold] ({rule.topic}): {rule.statement}")
        return
    from invert.lab import open_lab

    with open_lab() as lab:
        entries = lab.theory.toolkit()
    if as_json:
        emit_json(
            [
                {
                    "rule": e.rule.id,
                    "name": e.rule.name,
                    "topic": e.rule.topic,
                    "reviews": e.row.reviews,
                    "last_rating": e.row.last_rating,
                    "due": e.row.due,
                    "due_now": e.due_now,
                    "recall": e.recall,
                }
                for e in entries
            ]
        )
        return
    from invert.kinds.theory.cli_cards import print_toolkit

    with paged():
        print_toolkit(console(), entries)


@rules_app.command("add")
def add_rule(
    rule: Annotated[str, typer.Argument(help="A rule id (`invert rules --all` lists them).")],
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Put a rule in your toolkit; its first review is due a day later."""
    from invert.lab import open_lab

    with open_lab() as lab:
        known = lab.theory.rules_in_toolkit()
        entry = lab.theory.add_rule(rule, via="rules add")
    added = entry.rule.id not in known
    if as_json:
        emit_json({"rule": entry.rule.id, "added": added, "due": entry.row.due})
        return
    when = entry.row.due[:16].replace("T", " ")
    if added:
        console().print(f"Added {entry.rule.name} to your toolkit; first review at {when} UTC.")
    else:
        console().print(f"{entry.rule.name} is already in your toolkit; next review at {when} UTC.")


def ladder(
    method: Annotated[
        str | None, typer.Argument(help="A ladder id; leave out to list them.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Climb down one method: scikit-learn, SciPy or NumPy calls, raw matrices, a loop by hand.

    Each rung runs for real and must reproduce the numbers of the rung above within its
    stated tolerance.
    """
    from invert.catalog.loader import load_catalog

    catalog = load_catalog()
    if method is None:
        if as_json:
            emit_json(
                [{"id": lad.id, "title": lad.title} for lad in catalog.theory.ladders.values()]
            )
            return
        for lad in sorted(catalog.theory.ladders.values(), key=lambda item: item.id):
            console().print(f"[bold]{lad.id}[/bold]  {lad.title}: {lad.question}")
        return
    from invert.cli.working import working
    from invert.kinds.theory.ladders import run_ladder

    chosen = catalog.ladder(method)
    lab = _lab_or_none()
    try:
        with working(f"Running the rungs of {chosen.id}", quiet=as_json):
            results = lab.theory.run_ladder(chosen.id) if lab else run_ladder(chosen)
    finally:
        if lab is not None:
            lab.close()
    if as_json:
        emit_json(
            [
                {
                    "rung": r.rung.title,
                    "level": r.rung.level,
                    "differences": r.differences,
                    "tolerance": r.rung.tolerance,
                    "holds": r.within,
                    "seconds": r.seconds,
                }
                for r in results
            ]
        )
        return
    from invert.kinds.theory.cli_cards import print_ladder

    print_ladder(console(), chosen.title, results)

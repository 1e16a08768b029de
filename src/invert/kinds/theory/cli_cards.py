"""How theory looks in a terminal: cards, side-by-side runs, derivation steps, ladders (Rich)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from invert.cli.tables import id_column, print_table

if TYPE_CHECKING:
    from rich.console import Console

    from invert.catalog.models import Catalog
    from invert.kinds.theory.compare import SideBySide
    from invert.kinds.theory.ladders import RungResult
    from invert.kinds.theory.ops import CardView, Overview, ToolkitEntry


def _math(text: str) -> Any:
    from rich.padding import Padding
    from rich.text import Text

    return Padding(Text(text, no_wrap=True, overflow="ignore"), (0, 0, 0, 4))


def print_card(out: Console, view: CardView, catalog: Catalog, source: str) -> None:
    from rich.markdown import Markdown
    from rich.rule import Rule
    from rich.syntax import Syntax
    from rich.table import Table
    from rich.text import Text

    from invert.kinds.theory.sym import pretty

    card, concept = view.card, view.concept
    derivation = catalog.theory.derivations[card.derivation]
    out.print(Rule(f"[bold]{concept.title}[/bold]", align="left"))
    out.print(concept.summary)
    if view.status is not None:
        state = "unlocked" if view.status.unlocked else "not yet useful"
        out.print(f"[bold]Math topic, {state}:[/bold] {view.status.because}.")
    for experiment, question in view.answers:
        out.print(f"[dim]Answers the question of `invert try {experiment}`:[/dim] {question}")
    for label, nodes in (("Builds on", view.builds_on), ("Leads to", view.leads_to)):
        if nodes:
            out.print(f"[bold]{label}:[/bold] " + "; ".join(_node(*n) for n in nodes))
    out.print()
    out.print("[bold]1. The idea[/bold]")
    out.print(Markdown(card.idea.strip()))
    out.print()
    out.print("[bold]2. The formula[/bold]")
    formula = pretty(card.formula.expr, card.formula.context)
    lines = formula.splitlines()
    middle = len(lines) // 2
    name = card.formula.name
    rendered = "\n".join(
        (f"{name} = " if i == middle else " " * (len(name) + 3)) + line
        for i, line in enumerate(lines)
    )
    out.print(_math(rendered))
    out.print(Markdown(card.formula.where.strip()))
    out.print()
    out.print("[bold]3. From formula to code[/bold]")
    table = Table(show_header=True, header_style="bold")
    table.add_column("math", no_wrap=True)
    table.add_column("NumPy", overflow="fold")
    table.add_column("how one becomes the other")
    for row in card.code:  # Text, not markup: x[i, f] and X[:, 0] are not style tags
        table.add_row(Text(row.math), Text(row.code), Text(row.meaning))
    print_table(table, out)  # too narrow for the explanation: one block per row
    out.print()
    out.print(f"[bold]4. From scratch:[/bold] {card.scratch.replace(':', '.')}")
    out.print(Syntax(source.rstrip(), "python", theme="ansi_dark", word_wrap=True))
    out.print(f"Fit it beside scikit-learn: [bold]invert learn {card.id} --run[/bold]")
    out.print()
    out.print(f"[bold]5. Derivation: {derivation.title}[/bold]")
    out.print(derivation.goal)
    out.print(_math(pretty(derivation.start, derivation.context)))
    out.print(f"    [dim]{derivation.start_note}[/dim]")
    rules = catalog.theory.rules
    for i, step in enumerate(derivation.steps, start=1):
        names = " and ".join(rules[r].name for r in step.rules if r in rules)
        out.print(f"  [bold]step {i}[/bold], by [italic]{names}[/italic]: {step.note}")
        out.print(_math(pretty(step.expr, derivation.context)))
    out.print(derivation.conclusion)
    out.print(f"Work it yourself: [bold]invert derive {card.id}[/bold]")
    out.print("Its rules; a step you get right puts its rule in your toolkit, for review:")
    width = max(len(rule.id) for rule in view.rules)
    for rule in view.rules:
        mine = " [dim](in your toolkit)[/dim]" if rule.id in view.in_toolkit else ""
        out.print(f"  {rule.id:{width}}  {rule.name}{mine}")
    out.print("Add one without deriving: [bold]invert rules add ID[/bold]")
    for further in card.further:
        title = catalog.theory.derivations[further].title
        out.print(f"More: {title}: [bold]invert derive {further}[/bold]")
    out.print()
    out.print("[bold]6. Read next[/bold]")
    for reading in card.read:
        out.print(Markdown(f"- {reading.citation()}. {reading.why}"))


def _node(concept: str, title: str, met: bool) -> str:
    return f"{title} ({concept}, {'met' if met else 'not met yet'})"


def print_side_by_side(out: Console, card_id: str, result: SideBySide) -> None:
    from rich.table import Table

    n, p = result.shape
    table = Table(title=f"{card_id}: ours beside scikit-learn on {result.dataset} ({n} x {p})")
    table.add_column("")
    table.add_column("from scratch", justify="right")
    table.add_column("scikit-learn", justify="right")
    for row in result.rows:
        table.add_row(row.name, f"{row.ours:.6g}", f"{row.theirs:.6g}")
    ours, theirs = result.seconds
    table.add_row("seconds to fit and predict", f"{ours:.3f}", f"{theirs:.3f}")
    print_table(table, out)
    verdict = "[green]within[/green]" if result.within else "[red]OUTSIDE[/red]"
    out.print(
        f"{result.difference_label}: {result.difference:.3g}, {verdict} the stated tolerance "
        f"{result.tolerance:g}. {result.reason}"
    )


def print_overview(out: Console, view: Overview, catalog: Catalog) -> None:
    from rich.markup import escape  # the questions are the learner's own words
    from rich.table import Table

    if view.suggestions:
        out.print(f"[bold]Cards that answer your {view.open_questions} open why-question(s)[/bold]")
        for rank, suggestion in enumerate(view.suggestions[:5], start=1):
            title = catalog.concepts[suggestion.card].title
            out.print(f"  {rank}. [bold]{suggestion.card}[/bold]  {title}")
            for question in suggestion.questions[:2]:
                out.print(f"       [dim]answers: {escape(question)}[/dim]")
        out.print()
    elif view.open_questions == 0:
        out.print(
            "No open why-questions yet: ask one with `invert why` (or after `invert try`), and "
            "this list ranks the cards that answer it."
        )
        out.print()
    if view.requests:
        out.print(f"[bold]{len(view.requests)} open question(s) no card answers yet[/bold]")
        out.print("  [dim]kept as requests; each is answered here once a card covers it[/dim]")
        for request in view.requests[:5]:
            out.print(f"  - {escape(request.text)}")
        out.print()
    table = Table(title="Concept cards (invert learn ID)")
    id_column(table)
    table.add_column("title")
    table.add_column("answers", overflow="fold")
    for card in view.cards:
        if card.math_topic:
            continue
        table.add_row(card.id, catalog.concepts[card.id].title, ", ".join(card.answers) or "-")
    print_table(table, out)
    topics = Table(title="Math topics, just in time")
    id_column(topics)
    topics.add_column("title")
    topics.add_column("status")
    for card in view.cards:
        if not card.math_topic:
            continue
        status = view.topics[card.id]
        label = "[green]unlocked[/green]" if status.unlocked else "[dim]not yet useful[/dim]"
        topics.add_row(card.id, catalog.concepts[card.id].title, f"{label}: {status.because}")
    print_table(topics, out)


def print_toolkit(out: Console, entries: list[ToolkitEntry]) -> None:
    from rich.table import Table

    if not entries:
        out.print(
            "Your toolkit is empty: a rule joins it when you apply it in a derivation step "
            "(`invert derive ID`) or add it (`invert rules add ID`)."
        )
        return
    table = Table(title=f"Your toolkit: {len(entries)} rules")
    id_column(table, "rule")
    for column in ("name", "topic", "reviews", "last", "due", "recall"):
        table.add_column(column)
    for e in entries:
        due = "[bold]now[/bold]" if e.due_now else e.row.due[:16].replace("T", " ")
        recall = "-" if e.recall is None else f"{e.recall:.0%}"
        table.add_row(
            e.rule.id,
            e.rule.name,
            e.rule.topic,
            str(e.row.reviews),
            e.row.last_rating or "-",
            due,
            recall,
        )
    print_table(table, out)
    due_now = sum(e.due_now for e in entries)
    out.print(f"{due_now} due now: `invert review` to go through them.")


def print_ladder(out: Console, title: str, results: list[RungResult]) -> None:
    from rich.rule import Rule
    from rich.syntax import Syntax

    out.print(Rule(f"[bold]{title}[/bold]", align="left"))
    for i, result in enumerate(results, start=1):
        rung = result.rung
        out.print(f"[bold]Rung {i}: {rung.title}[/bold] ({rung.level}, {result.seconds:.3f} s)")
        out.print(rung.explain)
        out.print(Syntax(result.source.rstrip(), "python", theme="ansi_dark", word_wrap=True))
        out.print("    " + "; ".join(f"{k} = {_short(v)}" for k, v in result.values.items()))
        if result.differences:
            verdict = "[green]holds[/green]" if result.within else "[red]does not hold[/red]"
            out.print(
                f"    largest difference from rung {i - 1}: {result.largest:.2e} "
                f"(tolerance {rung.tolerance:g}): {verdict}"
            )
        out.print()


def _short(value: Any) -> str:
    import numpy as np

    array = np.asarray(value, dtype=float)
    if array.ndim == 0:
        return f"{float(array):.6g}"
    flat = array.ravel()
    shown = ", ".join(f"{v:.4g}" for v in flat[:4])
    return f"[{shown}{', ...' if flat.size > 4 else ''}]"

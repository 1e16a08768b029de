"""`invert learn`, `derive`, `review`, `rules` and `ladder`, through the real CLI and a real
terminal, on real labs."""

from __future__ import annotations

import json
import shutil
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pexpect
import pytest

from conftest import FIXTURE_CATALOG, Cli, invert_process, lab_fingerprint, spawn_invert
from invert.catalog.loader import load_catalog
from invert.kinds.theory.derive import DeriveSession
from invert.lab import Lab, create_lab

CATALOG = load_catalog()
PARTS = (
    "1. The idea",
    "2. The formula",
    "3. From formula to code",
    "4. From scratch",
    "5. Derivation",
    "6. Read next",
)


def test_a_card_shows_its_six_parts_in_order_and_offers_its_rules(in_lab: Lab, cli: Cli) -> None:
    code, out, err = cli("learn", "logistic-regression")
    assert code == 0, err
    positions = [out.index(part) for part in PARTS]
    assert positions == sorted(positions)
    card = CATALOG.theory.cards["logistic-regression"]
    assert card.read[0].title in out.replace("\n", " ") or card.read[0].authors[:10] in out
    derivation = CATALOG.theory.derivations[card.derivation]
    assert all(rule in out for rule in derivation.rules())
    assert "invert rules add ID" in out
    assert in_lab.store.count("card_opened", "logistic-regression") == 1  # read, on record
    code, out, _ = cli("rules", "--json")
    assert json.loads(out) == []  # reading a card is not working with its rules


def test_reading_every_card_adds_no_rule_and_no_review(in_lab: Lab, cli: Cli) -> None:
    cli("run", CATALOG.first_starter().id)  # past the first step, so a review could show
    for card in CATALOG.theory.cards:
        code, _, err = cli("learn", card, "--json")
        assert code == 0, err
    assert in_lab.store.count("card_opened") == len(CATALOG.theory.cards)
    assert in_lab.theory.toolkit() == [] and in_lab.theory.due_rules() == []
    code, out, _ = cli("next", "--json")
    assert code == 0 and json.loads(out)["kind"] != "review"
    code, out, _ = cli("progress", "--json")
    assert (json.loads(out)["reviews_due"], json.loads(out)["rules_known"]) == (0, 0)


def test_a_rule_is_added_to_the_toolkit_explicitly(
    in_lab: Lab, cli: Cli, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INVERT_NOW", "2026-03-02T10:00:00+00:00")
    code, out, err = cli("rules", "add", "chain-rule")
    assert code == 0, err
    assert "Added Chain rule to your toolkit; first review at 2026-03-03 10:00 UTC" in out
    code, out, _ = cli("rules", "--json")
    (row,) = json.loads(out)
    assert (row["rule"], row["reviews"], row["due_now"]) == ("chain-rule", 0, False)
    code, out, _ = cli("rules", "add", "chain-rule", "--json")
    assert code == 0 and json.loads(out)["added"] is False
    assert in_lab.store.count("rule_added") == 1
    before = lab_fingerprint(in_lab.root)
    code, _, err = cli("rules", "add", "no-such-rule")
    assert code == 2 and "unknown rule 'no-such-rule'" in err and err.count("\n") == 1
    assert lab_fingerprint(in_lab.root) == before
    # The simulated clock ran on while the commands above took their seconds: a few minutes on.
    monkeypatch.setenv("INVERT_NOW", "2026-03-03T10:05:00+00:00")
    assert [e.rule.id for e in in_lab.theory.due_rules()] == ["chain-rule"]  # due the next day


def test_an_accepted_derivation_step_adds_its_rule(
    in_lab: Lab, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("INVERT_NOW", "2026-03-02T10:00:00+00:00")
    session = in_lab.theory.start_derivation("sigmoid-derivative")
    assert in_lab.theory.toolkit() == []  # starting a derivation is not using its rules
    step = session.step
    wrong = session.attempt("sigmoid(z)**2", step.rule)
    in_lab.theory.record_attempt(session, wrong, 0)
    assert in_lab.theory.toolkit() == []  # nor is a step that does not follow
    right = session.attempt(step.expr, step.rule)
    in_lab.theory.record_attempt(session, right, 0)
    (entry,) = in_lab.theory.toolkit()
    assert (entry.rule.id, entry.row.reviews, entry.row.last_rating) == (step.rule, 1, "hard")
    assert entry.row.via == "derive:sigmoid-derivative"
    # The next review is days away, not FSRS's ten-minute learning step.
    assert datetime.fromisoformat(entry.row.due) >= datetime(2026, 3, 3, 10, tzinfo=UTC)


def test_learn_run_prints_ours_beside_sklearn(in_lab: Lab, cli: Cli) -> None:
    code, out, err = cli("learn", "nearest-neighbours", "--run")
    assert code == 0, err
    assert "from scratch" in out and "scikit-learn" in out and "within" in out
    code, out, _ = cli("learn", "nearest-neighbours", "--run", "--json")
    document = json.loads(out)
    assert document["within"] is True
    assert document["difference"] <= document["tolerance"]


def test_learn_works_outside_a_lab_and_records_nothing(tmp_path: object, cli: Cli) -> None:
    done = invert_process("learn", "pca", cwd=tmp_path)  # type: ignore[arg-type]
    assert done.returncode == 0, done.stderr
    assert "6. Read next" in done.stdout
    done = invert_process("learn", cwd=tmp_path)  # type: ignore[arg-type]
    assert done.returncode == 0 and "Math topics" in done.stdout


def test_learn_ranks_the_cards_that_answer_open_why_questions(in_lab: Lab, cli: Cli) -> None:
    in_lab.journal.ask_why("why does accuracy level off as the forest gets more trees?")
    in_lab.journal.ask_why("why did the loss blow up with a big learning rate?")
    _, out, _ = cli("learn", "--json")
    suggestions = [s["card"] for s in json.loads(out)["suggestions"]]
    assert suggestions[:3] and "bagging" in suggestions[:3]
    assert "learning-rate" in suggestions[:3]
    _, out, _ = cli("learn")
    assert "answer your 2 open why-question(s)" in out


def test_a_card_says_what_it_builds_on_and_leads_to_and_which_the_learner_has_met(
    in_lab: Lab, cli: Cli
) -> None:
    cards = CATALOG.theory.cards
    card = next(c for c in cards.values() if len(c.builds_on) >= 2)
    met, unmet = card.builds_on[0], card.builds_on[1]
    assert cli("learn", met)[0] == 0  # reading a card is meeting its concept
    code, out, _ = cli("learn", card.id)
    flat = " ".join(out.split())
    assert code == 0 and "Builds on:" in flat, out
    assert f"({met}, met)" in flat and f"({unmet}, not met yet)" in flat, flat
    followers = [c.id for c in cards.values() if card.id in c.builds_on]
    if followers:
        assert "Leads to:" in flat and f"({followers[0]}, not met yet)" in flat, flat
    # The prerequisite's card leads to this one, now met: it was read just above.
    page = cli("learn", met)[1]
    assert f"({card.id}, met)" in " ".join(page.split())


def test_math_topics_unlock_from_the_learners_history(in_lab: Lab, cli: Cli) -> None:
    def status() -> dict[str, bool]:
        _, out, _ = cli("learn", "--json")
        return {k: v["unlocked"] for k, v in json.loads(out)["topics"].items()}

    assert not any(status().values())
    code, out, _ = cli("learn", "matrix-operations")  # a locked card still opens
    assert code == 0 and "not yet useful" in out and "invert run diabetes_ridge" in out
    code, _, err = cli("run", "diabetes_ridge")
    assert code == 0, err
    assert status()["matrix-operations"] is True
    assert status()["derivatives"] is False


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("learn", "no-such-card"), "unknown concept card 'no-such-card'"),
        (("derive", "nope"), "unknown derivation 'nope'"),
        (("ladder", "svd-by-hand"), "unknown ladder 'svd-by-hand'"),
    ],
)
def test_bad_ids_are_one_line_errors_that_change_nothing(
    in_lab: Lab, cli: Cli, args: tuple[str, ...], message: str
) -> None:
    before = lab_fingerprint(in_lab.root)
    code, _, err = cli(*args)
    assert code == 2
    assert message in err and err.count("\n") == 1
    assert lab_fingerprint(in_lab.root) == before


def test_a_concept_without_a_card_is_a_one_line_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cli: Cli
) -> None:
    # A catalogue whose card for data-leakage is gone (dev check would refuse it; a learner's
    # command still says what is missing in one line).
    from invert.catalog.loader import CONTENT_ENV

    root = tmp_path / "content"
    shutil.copytree(FIXTURE_CATALOG, root)
    (root / "cards" / "data-leakage.toml").unlink()
    monkeypatch.setenv(CONTENT_ENV, str(root))
    monkeypatch.chdir(tmp_path)
    code, _, err = cli("learn", "data-leakage")
    assert code == 2 and "is a concept without a card yet" in err and err.count("\n") == 1


def test_derive_review_and_rules_need_a_lab(tmp_path: object) -> None:
    for args in (("derive", "pca"), ("review",), ("rules",)):
        done = invert_process(*args, cwd=tmp_path)  # type: ignore[arg-type]
        assert done.returncode == 2 and done.stderr.startswith("error: no invert lab")


def test_review_scheduling_persists_across_runs(in_lab: Lab, cli: Cli) -> None:
    root = in_lab.root
    softmax = CATALOG.theory.derivations[CATALOG.theory.cards["softmax"].derivation]
    for rule in softmax.rules():
        in_lab.theory.add_rule(rule)
    tomorrow = (datetime.now(UTC) + timedelta(days=1, minutes=1)).isoformat()
    rules = json.loads(invert_process("rules", "--json", cwd=root).stdout)
    assert rules and all(r["reviews"] == 0 and not r["due_now"] for r in rules)
    assert "Nothing is due" in subprocess_review(root, "").stdout  # added today: due tomorrow
    answers = "".join("\n3\n" for _ in rules)  # recall, then rate each "good"
    done = subprocess_review(root, answers, now=tomorrow)
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("next review:") == len(rules)
    after = json.loads(invert_process("rules", "--json", cwd=root).stdout)
    assert all(r["reviews"] == 1 and r["last_rating"] == "good" for r in after)
    assert all(datetime.fromisoformat(r["due"]) > datetime.fromisoformat(tomorrow) for r in after)
    again = subprocess_review(root, "", now=tomorrow)
    assert "Nothing is due" in again.stdout


def subprocess_review(root: object, answers: str, now: str | None = None) -> object:
    import os
    import subprocess

    env = {**os.environ, "NO_COLOR": "1", "COLUMNS": "120"}
    env.pop("INVERT_LAB", None)
    if now is not None:
        env["INVERT_NOW"] = now
    return subprocess.run(
        [sys.executable, "-m", "invert", "review"],
        cwd=root,  # type: ignore[arg-type]
        env=env,
        input=answers,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_toolkit_is_rebuilt_exactly_from_an_exported_journal(in_lab: Lab, tmp_path) -> None:  # type: ignore[no-untyped-def]
    for rule in CATALOG.theory.derivations[CATALOG.theory.cards["pca"].derivation].rules():
        in_lab.theory.add_rule(rule)
    first = in_lab.theory.toolkit()[0].rule.id
    in_lab.theory.review_rule(first, "good")
    in_lab.theory.review_rule(first, "hard")
    exported = tmp_path / "journal.json"
    in_lab.exports.export(exported)
    with create_lab(tmp_path / "other") as other:
        other.exports.import_(exported)
        assert [r.__dict__ for r in other.store.toolkit()] == [
            r.__dict__ for r in in_lab.store.toolkit()
        ]


def test_a_derive_session_grades_steps_and_reviews_rules(in_lab: Lab) -> None:
    session = in_lab.theory.start_derivation("sigmoid-derivative")
    assert isinstance(session, DeriveSession)
    first = session.step
    wrong = session.attempt("sigmoid(z)**2", first.rule)
    assert not wrong.accepted and "does not follow" in wrong.message
    unreadable = session.attempt("exp(-z", first.rule)
    assert not unreadable.accepted and "bracket" in unreadable.message
    right_expr_wrong_rule = session.attempt(first.expr, "bayes-rule")
    assert right_expr_wrong_rule.expression_ok and not right_expr_wrong_rule.rule_ok
    right = session.attempt(first.expr, CATALOG.theory.rules[first.rule].name)
    assert right.accepted and right.rating == "hard"  # right after wrong tries
    in_lab.theory.record_attempt(session, right, 0)
    second = session.step
    assert session.hint().startswith("Use ")
    assert second.expr in session.hint()
    hinted = session.attempt(second.expr, second.rule)
    assert hinted.accepted and hinted.rating == "again"


def test_derive_says_its_words_and_help_lists_them(in_lab: Lab, cli: Cli) -> None:
    code, out, err = cli.with_input("help\n?\nquit\n", "derive", "sigmoid-derivative")
    assert code == 0, err
    said = " ".join(out.split())
    assert "you can also type `hint`, `show`, `rules`, `help`, `quit`" in said
    assert said.index("`quit`") < said.index("expression:")  # said before the first prompt
    assert said.count("show see the step and move on") == 2  # `help` and `?` each list them
    assert "Not yet" not in out and "Traceback" not in out + err
    assert in_lab.store.events("derivation_step") == []  # neither was taken as an expression


def test_when_only_the_rule_is_wrong_only_the_rule_is_asked_again(in_lab: Lab, cli: Cli) -> None:
    step = CATALOG.theory.derivations["sigmoid-derivative"].steps[0]
    typed = f"{step.expr}\nbayes-rule\n{step.rule}\nquit\n"  # the expression typed once
    code, out, err = cli.with_input(typed, "derive", "sigmoid-derivative")
    assert code == 0, err
    said = " ".join(out.split())
    assert "the expression is right, but" in said and "type the rule again" in said
    assert "Right:" in said and "Step 2 of" in said
    accepted = [e.payload["accepted"] for e in in_lab.store.events("derivation_step")]
    assert accepted == [False, True]


def test_a_derivation_worked_in_a_real_terminal(in_lab: Lab) -> None:
    derivation = CATALOG.theory.derivations["sigmoid-derivative"]
    child = spawn_invert("derive", "sigmoid-derivative", cwd=in_lab.root, timeout=60)
    child.expect(derivation.title)
    steps = derivation.steps
    # A typo first: a helpful line, no traceback, and the same step again.
    child.expect("expression")
    child.sendline("exp(-z")
    child.expect("rule")
    child.sendline(steps[0].rule)
    child.expect("bracket left open")
    child.expect("Step 1 of")
    # A wrong step: SymPy finds a point where it differs.
    child.expect("expression")
    child.sendline("sigmoid(z)**2")
    child.expect("rule")
    child.sendline(steps[0].rule)
    child.expect("does not follow")
    # A hint, then the rest of the derivation, right.
    child.expect("expression")
    child.sendline("hint")
    child.expect("Hint")
    for step in steps:
        child.expect("expression")
        child.sendline(step.expr)
        child.expect("rule")
        child.sendline(step.rule)
        child.expect("Right")
    child.expect("Done")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Traceback" not in (child.before or "")
    with Lab(in_lab.root) as lab:
        steps_done = lab.store.events("derivation_step", subject=derivation.id)
        assert sum(e.payload["accepted"] for e in steps_done) == len(steps)
        assert lab.store.events("derivation_finished", subject=derivation.id)
        reviews = [(e.subject, e.payload["rating"]) for e in lab.store.events("rule_reviewed")]
        assert reviews[0] == (steps[0].rule, "again")  # the hint showed the first step's rule
        assert [rating for _, rating in reviews[1:]] == ["good"] * (len(steps) - 1)
        reviewed = {rule for rule, _ in reviews}
        assert all(row.reviews >= 1 for row in lab.store.toolkit() if row.rule in reviewed)


def test_ladder_prints_each_rungs_code_and_whether_it_holds(tmp_path: object) -> None:
    done = invert_process("ladder", "pca", cwd=tmp_path)  # type: ignore[arg-type]
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Rung ") == 4
    assert "def " in done.stdout and "does not hold" not in done.stdout
    listing = invert_process("ladder", cwd=tmp_path)  # type: ignore[arg-type]
    assert "logistic-regression" in listing.stdout

"""invert trace: the recorder on real from-scratch fits, the algorithms, the CLI and the viewer.

Step contents are checked against values computed here, independently, from the same data.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

import numpy as np
import pytest
from sklearn.linear_model import LinearRegression
from sklearn.tree import DecisionTreeClassifier

from conftest import Cli, invert_process, missing_extras, spawn_invert
from invert.catalog.loader import load_catalog
from invert.kinds.traces import navigate
from invert.kinds.traces.algorithms import Prepared, prepare
from invert.kinds.traces.ops import trace_algorithm
from invert.kinds.traces.recorder import Recorder
from invert.kinds.traces.steps import Step, Trace
from invert.kinds.traces.viewer import ViewerState, apply_key
from invert.lab import Lab

CATALOG = load_catalog()


def line_of(path: Path | str, fragment: str) -> int:
    """The number of the one line of `path` that holds `fragment`."""
    lines = Path(path).read_text(encoding="utf-8").splitlines()
    found = [n for n, text in enumerate(lines, start=1) if fragment in text]
    assert len(found) == 1, (fragment, found)
    return found[0]


def record(algorithm: str, **limits: int) -> tuple[Trace, Prepared]:
    """Trace an algorithm in this process: the same recorder and data the child uses."""
    prepared = prepare(CATALOG, CATALOG.trace(algorithm))
    recorder = Recorder([prepared.source], **limits)
    recorder.run(prepared.calls)
    trace = recorder.trace(algorithm, {})
    return trace, prepared


def steps_at(trace: Trace, line: int, kind: str = "line") -> list[Step]:
    return [s for s in trace.steps if s.line == line and s.kind == kind]


# --- the recorder on gradient descent ----------------------------------------------------------


def test_gradient_descent_first_step_shows_the_arguments_as_arrays() -> None:
    trace, prepared = record("linear-regression-gd")
    call = trace.steps[0]
    assert call.kind == "call" and call.function == "LinearRegressionGD.fit"
    X = call.value("X")
    assert X.shape == [120, 10] and X.dtype == "float64"
    assert X.min == pytest.approx(prepared.X.min()) and X.max == pytest.approx(prepared.X.max())
    assert X.text.startswith("float64 (120, 10)  min ")
    assert prepared.y is not None
    assert call.value("y").mean == pytest.approx(prepared.y.mean())
    assert all(v.change == "new" for v in call.values)


def test_gradient_descent_step_shows_what_the_previous_line_changed() -> None:
    trace, prepared = record("linear-regression-gd")
    source = prepared.source
    update = line_of(source, "weights -= self.learning_rate * grad_weights")
    after = [s for s in trace.steps if s.after_line == update]
    assert len(after) == 3  # three iterations in full, the rest compressed
    first = after[0].value("weights")
    # Independently: from zero weights, one step is -lr * (2/n) Xᵀ(0 - y).
    X, y = prepared.X, prepared.y
    assert y is not None
    expected = -0.1 * (2.0 / len(y) * (X.T @ (-y)))
    assert first.changed_elements == 10
    assert first.max_abs_change == pytest.approx(np.abs(expected).max())
    assert first.change == f"changed 10 of 10 elements, max |Δ| {np.abs(expected).max():.4g}"
    assert after[0].line == update + 1 and after[0].changed == [first]


def test_loops_are_compressed_after_the_full_iterations() -> None:
    trace, prepared = record("linear-regression-gd")
    header = line_of(prepared.source, "for _ in range(self.n_epochs):")
    headers = steps_at(trace, header)
    assert [s.loop.iteration for s in headers if s.loop] == [1, 2, 3, 4]
    (skip,) = steps_at(trace, header, "skip")
    assert skip.note == (
        f"iterations 4-50 of the loop at line {header} ran without stepping (47 iterations, "
        "376 lines)"
    )
    assert skip.value("losses").change == "grew 3 → 50"
    assert skip.value("losses").text.startswith("list of 50 floats")
    assert trace.steps[-1].kind == "return"
    assert trace.steps[-1].value("self.coef_").shape == [10]


def test_full_iterations_sets_how_many_iterations_are_recorded() -> None:
    trace, prepared = record("linear-regression-gd", full_iterations=1)
    header = line_of(prepared.source, "for _ in range(self.n_epochs):")
    (skip,) = steps_at(trace, header, "skip")
    assert skip.note is not None and skip.note.startswith("iterations 2-50 ")
    assert len(steps_at(trace, header)) == 2


def test_a_trace_stops_at_max_steps_and_says_so() -> None:
    trace, prepared = record("logistic-regression", max_steps=25)
    assert len(trace.steps) == 26 and trace.stopped == "steps"
    assert trace.steps[-1].kind == "stop"
    assert trace.steps[-1].note == "recording stopped at the limit of 25 steps"
    assert not hasattr(prepared.estimator, "coef_")  # the fit was stopped, not run untraced


# --- every algorithm, with content checked against an independent computation -------------------


@pytest.mark.content
def test_at_least_eight_algorithms_are_traceable() -> None:
    required = {
        "linear-regression-gd",
        "logistic-regression",
        "knn",
        "decision-tree-split",
        "kmeans",
        "pca-power-iteration",
        "mlp",
        "gradient-boosting",
    }
    assert required <= set(CATALOG.traces) and len(CATALOG.traces) >= 8


def test_normal_equations_coefficients_match_scikit_learn() -> None:
    trace, prepared = record("linear-regression-normal")
    coef = trace.steps[-1].value("self.coef_")
    theirs = LinearRegression().fit(prepared.X, prepared.y).coef_
    assert coef.min == pytest.approx(theirs.min()) and coef.max == pytest.approx(theirs.max())


def test_logistic_regression_starts_with_every_probability_at_one_half() -> None:
    trace, prepared = record("logistic-regression")
    line = line_of(prepared.source, "penalty = np.sum(weights**2)")
    first = steps_at(trace, line)[0].value("probabilities")
    assert first.shape == [150, 1] and first.min == first.max == 0.5
    second = steps_at(trace, line)[1].value("probabilities")
    assert second.min is not None and second.min < 0.5 < (second.max or 0)


def test_knn_distances_are_those_to_every_training_row() -> None:
    trace, prepared = record("knn")
    line = line_of(prepared.source, 'neighbours[i] = np.argsort(distances, kind="stable")')
    steps = steps_at(trace, line)
    assert len(steps) == 3  # one per new row
    assert prepared.X_new is not None
    for step, query in zip(steps, prepared.X_new, strict=True):
        distances = np.sqrt(((prepared.X - query) ** 2).sum(axis=1))
        shown = step.value("distances")
        assert shown.shape == [120]
        assert shown.min == pytest.approx(distances.min())
        assert shown.max == pytest.approx(distances.max())
    returned = [s for s in trace.steps if s.kind == "return"][-1].returned
    assert returned is not None and returned.shape == [3, 3]


def test_tree_split_search_finds_scikit_learns_root_split() -> None:
    trace, prepared = record("decision-tree-split")
    search = [s for s in trace.steps if s.kind == "return" and s.function == "best_split"]
    assert search and search[0].returned is not None
    root = DecisionTreeClassifier(max_depth=1).fit(prepared.X, prepared.y).tree_
    text = search[0].returned.text
    assert f"feature={root.feature[0]}" in text
    threshold = float(re.search(r"threshold=([-0-9.e]+)", text).group(1))  # type: ignore[union-attr]
    assert threshold == pytest.approx(root.threshold[0], abs=1e-6)
    loop = line_of(prepared.source, "for j in columns:  # the loop over features IS the search")
    (skip,) = [s for s in trace.steps if s.kind == "skip" and s.line == loop]
    assert skip.note is not None and skip.note.startswith("iteration 4 of the loop")


def test_kmeans_shift_is_recorded_each_iteration() -> None:
    trace, prepared = record("kmeans")
    line = line_of(prepared.source, "centres = new_centres")
    shifts = [s.value("shift").mean for s in steps_at(trace, line)]
    assert len(shifts) == 3 and all(x is not None and x > 0 for x in shifts)
    assert trace.steps[-1].value("self.cluster_centers_").shape == [3, 4]


def test_pca_power_iteration_converges_on_scikit_learns_components() -> None:
    from sklearn.decomposition import PCA

    trace, prepared = record("pca-power-iteration")
    inner = line_of(prepared.source, "while steps < self.max_iter:")
    skips = [s for s in trace.steps if s.kind == "skip" and s.line == inner]
    assert len(skips) == 2  # one per component
    components = trace.steps[-1].value("self.components_")
    theirs = PCA(n_components=2).fit(prepared.X).components_
    assert components.shape == [2, 13]
    assert components.min == pytest.approx(theirs.min(), abs=1e-8)
    assert components.max == pytest.approx(theirs.max(), abs=1e-8)


def test_mlp_backward_returns_one_gradient_per_weight_matrix() -> None:
    trace, _ = record("mlp")
    backward = [s for s in trace.steps if s.kind == "return" and s.function.endswith("backward")]
    assert len(backward) == 6  # 2 epochs x 3 mini-batches of 40
    forward = [s for s in trace.steps if s.kind == "return" and s.function.endswith("forward")]
    assert forward[0].returned is not None
    assert forward[0].returned.text == "list of 3 arrays: (40, 4), (40, 8), (40, 3)"
    gradients = [s for s in trace.steps if s.function.endswith("backward")][-2]
    assert gradients.value("coef_grads").text == "list of 2 arrays: (4, 8), (8, 3)"


def test_gradient_boosting_residuals_shrink() -> None:
    trace, prepared = record("gradient-boosting")
    line = line_of(prepared.source, "tree = DecisionTreeRegressorScratch(")
    spreads = [s.value("residuals") for s in steps_at(trace, line)]
    assert len(spreads) == 3
    assert all(r.max is not None and r.min is not None for r in spreads)
    widths = [(r.max or 0) - (r.min or 0) for r in spreads]
    assert widths[0] > widths[1] > widths[2]
    loss = trace.steps[-1].value("self.train_loss_")
    assert loss.text.startswith("list of 20 floats")


def test_naive_bayes_learns_one_mean_per_class_and_feature() -> None:
    trace, _ = record("naive-bayes")
    fitted = next(s for s in trace.steps if s.kind == "return" and s.function.endswith(".fit"))
    assert fitted.value("self.theta_").shape == [3, 4]
    probabilities = [s for s in trace.steps if s.kind == "return"][-1].returned
    assert probabilities is not None and probabilities.shape == [3, 3]


# --- navigation ----------------------------------------------------------------------------------


def test_navigation_jumps_by_iteration_line_return_and_breakpoint() -> None:
    trace, prepared = record("linear-regression-gd")
    header = line_of(prepared.source, "for _ in range(self.n_epochs):")
    update = line_of(prepared.source, "weights -= self.learning_rate * grad_weights")
    first = navigate.to_line(trace, 0, header)
    assert first is not None and trace.steps[first].loop is not None
    seen = [trace.steps[first].loop.iteration]  # type: ignore[union-attr]
    at = first
    for _ in range(3):
        nxt = navigate.next_iteration(trace, at)
        assert nxt is not None
        at = nxt
        loop = trace.steps[at].loop
        seen.append(loop.iteration if loop and trace.steps[at].kind == "line" else -1)
    assert seen == [1, 2, 3, 4]
    skip = navigate.next_iteration(trace, at)
    assert skip is not None and trace.steps[skip].kind == "skip"
    assert navigate.previous_iteration(trace, first + 2) == first
    end = navigate.to_return(trace, 0)
    assert end == len(trace.steps) - 1
    assert navigate.to_breakpoint(trace, 0, {(0, update)}) == navigate.to_line(trace, 0, update)
    assert navigate.to_line(trace, 0, 1) is None
    state = ViewerState()
    assert apply_key(trace, state, "l", lambda prompt: str(update))
    assert trace.steps[state.index].line == update
    assert apply_key(trace, state, "w", lambda prompt: "bias")
    assert trace.steps[state.index].value("bias").change is not None
    assert apply_key(trace, state, "x", lambda prompt: "") and "unknown key" in state.message
    assert not apply_key(trace, state, "q", lambda prompt: "")


# --- through the child and the CLI ---------------------------------------------------------------


def test_trace_json_round_trips_and_matches_the_in_process_recording(cli: Cli) -> None:
    code, out, _ = cli("trace", "kmeans", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["format"] == "invert-trace" and data["version"] == 1
    assert data["subject"]["dataset"] == "penguins" and data["subject"]["rows"] == 150
    loaded = Trace.from_json(data)
    here, _ = record("kmeans")
    assert [(s.kind, s.line) for s in loaded.steps] == [(s.kind, s.line) for s in here.steps]
    assert (
        loaded.steps[-1].value("self.inertia_").text == here.steps[-1].value("self.inertia_").text
    )


def test_trace_on_another_dataset_and_the_listing(cli: Cli) -> None:
    trace = trace_algorithm("linear-regression-gd", "ames")
    assert trace.subject["dataset"] == "ames" and trace.steps[0].value("X").shape == [120, 6]
    code, out, _ = cli("trace", "--json")
    listed = {row["id"]: row for row in json.loads(out)["algorithms"]}
    assert code == 0 and set(listed) == set(CATALOG.traces)
    assert "ames" in listed["linear-regression-gd"]["datasets"]


def test_at_starts_the_printout_at_a_line(cli: Cli) -> None:
    module = prepare(CATALOG, CATALOG.trace("kmeans")).source
    shift = line_of(module, "shift = np.sum((new_centres - centres) ** 2)")
    code, out, _ = cli("trace", "kmeans", "--at", str(shift))
    steps = [line for line in out.splitlines() if line.startswith("[")]
    here, _ = record("kmeans")
    first = navigate.to_line(here, -1, shift)
    assert code == 0 and steps[0].startswith(f"[{first}] kmeans.py:{shift} in")
    assert "loop at line" in steps[0] and "iteration 1" in steps[0]


def test_piped_trace_prints_a_transcript(tmp_path: Path) -> None:
    done = invert_process("trace", "gradient-boosting", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert out.startswith("Gradient boosting: trees fitted to the residuals · diabetes: 150 rows")
    assert "The model starts as the mean of y." in out
    assert "of the loop at line" in out and "ran without stepping (17 iterations" in out
    assert re.search(r"residuals = float64 \(150,\)  min -?\d", out)
    assert out.rstrip().endswith("s")
    assert "steps recorded" in out.splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("trace", "k-means"), "error: unknown algorithm 'k-means'; did you mean kmeans?"),
        (("trace", "kmeans", "--dataset", "mnist"), "kmeans cannot be traced on 'mnist'"),
        (("trace", "linear-regression-gd", "--dataset", "iris"), "a regression trace takes"),
        (("trace", "knn", "--max-steps", "3"), "--max-steps must be between 10 and 100000"),
        (("trace", "knn", "--full-iterations", "0"), "--full-iterations must be between 1"),
        (("trace", "missing.py"), "error: missing.py does not exist"),
        (("trace", "knn", "--at", "1"), "error: line 1 of knn.py never runs in this trace"),
    ],
)
def test_bad_trace_input_is_one_line_and_exit_2(
    cli: Cli, args: tuple[str, ...], message: str
) -> None:
    code, _, err = cli(*args)
    assert code == 2 and message in err and len(err.strip().splitlines()) == 1


def test_a_learners_script_is_traced_with_its_output_and_errors(tmp_path: Path) -> None:
    script = tmp_path / "mine.py"
    script.write_text(
        "import numpy as np\n"
        "values = np.arange(6.0)\n"
        "total = 0.0\n"
        "for v in values:\n"
        "    total += v\n"
        "    print('running total', total)\n"
        "values[2] = 100.0\n"
        "ratio = len(values) / 0\n",
        encoding="utf-8",
    )
    done = invert_process("trace", "mine.py", "--json", cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    trace = Trace.from_json(json.loads(done.stdout))
    assert trace.error is not None and trace.error["type"] == "ZeroDivisionError"
    assert trace.error["line"] == 8
    assert trace.output.count("running total") == 6
    printed = [s.output for s in trace.steps if s.output]
    assert printed[0] == "running total 0.0\n"
    (skip,) = [s for s in trace.steps if s.kind == "skip"]
    assert skip.note == (
        "iterations 4-6 of the loop at line 4 ran without stepping (3 iterations, 9 lines)"
    )
    assert skip.value("total").change == "was 3"
    changed = next(s for s in trace.steps if s.after_line == 7).value("values")
    assert changed.change == "changed 1 of 6 elements, max |Δ| 98"
    (raised,) = [s for s in trace.steps if s.kind == "exception"]
    assert raised.line == 8 and raised.note == "ZeroDivisionError: division by zero"
    assert "np" not in {v.name for s in trace.steps for v in s.values}  # modules are not shown


def test_an_empty_script_has_nothing_to_step_through(tmp_path: Path) -> None:
    (tmp_path / "empty.py").write_text("# nothing yet\n", encoding="utf-8")
    done = invert_process("trace", "empty.py", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "empty.py: no line of it ran, so there is nothing to step through"


def test_a_syntax_error_in_the_learners_script_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "broken.py").write_text("x = (1,\n", encoding="utf-8")
    done = invert_process("trace", "broken.py", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("error: broken.py, line 1: syntax error")
    assert len(done.stderr.strip().splitlines()) == 1


def test_a_script_that_never_ends_is_stopped_at_the_time_limit(tmp_path: Path) -> None:
    (tmp_path / "forever.py").write_text("n = 0\nwhile True:\n    n += 1\n", encoding="utf-8")
    done = invert_process("trace", "forever.py", "--timeout", "2", cwd=tmp_path, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "recording stopped at the time limit (--timeout)" in done.stdout
    (tmp_path / "sleeps.py").write_text("import time\ntime.sleep(600)\n", encoding="utf-8")
    done = invert_process("trace", "sleeps.py", "--timeout", "1", cwd=tmp_path, timeout=60)
    assert done.returncode == 2
    assert done.stderr.strip() == "error: sleeps.py ran past the 1 s time limit and was stopped"


def test_a_script_that_kills_its_own_process_is_one_line(tmp_path: Path) -> None:
    (tmp_path / "quits.py").write_text("import os\nprint('bye')\nos._exit(3)\n", encoding="utf-8")
    done = invert_process("trace", "quits.py", cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.strip() == (
        "error: quits.py ended the process (exit 3) before the trace was saved; "
        "its last output: no output"
    )


def test_the_learners_starter_copy_is_traced(in_lab: Lab, cli: Cli) -> None:
    in_lab.starters.copy("wine_knn")
    code, out, err = cli("trace", "starters/wine_knn.py")
    assert code == 0, err
    assert "X_train = DataFrame (142, 13)  columns alcohol, malic_acid" in out
    assert "printed: WHAT COMES OUT" in out or "printed: " in out
    assert "accuracy = 0.9444" in out


# --- the viewer in a real terminal ---------------------------------------------------------------


def test_the_viewer_steps_through_gradient_descent_in_a_terminal(tmp_path: Path) -> None:
    import pexpect

    source = CATALOG.traces["linear-regression-gd"]
    module = prepare(CATALOG, source).source
    header = line_of(module, "for _ in range(self.n_epochs):")
    update = line_of(module, "weights -= self.learning_rate * grad_weights")
    child = spawn_invert("trace", "linear-regression-gd", cwd=tmp_path)
    child.expect("step 1 of 38")
    child.expect("call")
    child.send("n")
    child.expect("step 2 of 38")
    child.send("p")
    child.expect("step 1 of 38")
    child.send("i")
    child.expect("this step is not inside a loop")
    child.send("l")
    child.expect("line: ")
    child.send(f"{header}\r")
    child.expect(f"loop at line {header}, iteration 1")
    child.send("i")
    child.expect(f"loop at line {header}, iteration 2")
    child.send("I")
    child.expect(f"loop at line {header}, iteration 1")
    child.send("ii")
    child.expect(f"loop at line {header}, iteration 3")
    child.send("i")
    child.expect("iteration 4")
    child.send("i")
    child.expect(f"iterations 4-50 of the loop at line {header} ran without stepping")
    child.expect("grew 3 → 50")
    child.send("g")
    child.expect("step 1 of 38")
    child.send("b")
    child.send(f"{update}\r")
    child.expect(f"breakpoint set at line {update}")
    child.send("c")
    child.expect(f"linear_regression.py:{update} in LinearRegressionGD.fit")
    child.send("n")
    child.expect(re.escape(f"what line {update} changed"))
    child.expect(r"weights\s+float64 \(10,\)")
    child.expect("changed 10 of 10 elements")
    child.send("r")
    child.expect("step 38 of 38")
    child.expect("return → LinearRegressionGD")
    child.send("?")
    child.expect("Weights and bias start at zero")
    child.send("q")
    child.expect("38 steps recorded")
    child.expect("invert learn gradient-descent")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


# --- the tour: the real debugger -----------------------------------------------------------------


def test_tour_opens_pdb_at_the_starters_first_line_with_a_guide(in_lab: Lab) -> None:
    import pexpect

    stop = line_of(in_lab.catalog.starter("wine_knn").script, "X_train, X_test, y_train, y_test")
    child = spawn_invert("tour", "wine_knn", cwd=in_lab.root, timeout=90)
    child.expect("Tour of starters/wine_knn.py in pdb")
    child.expect(f"2. line {stop}: X_train, X_test, y_train, y_test = train_test_split")
    child.expect(f"type: until {stop}")
    child.expect(r"wine_knn.py\(1\)<module>\(\)")
    child.expect(r"\(Pdb\) ")
    child.sendline(f"until {stop}")
    child.expect(r"\(Pdb\) ")
    child.sendline("p X.shape")
    child.expect(r"\(178, 13\)")
    child.sendline("n")
    child.expect(r"\(Pdb\) ")
    child.sendline("p X_train.shape, X_test.shape")
    child.expect(r"\(\(142, 13\), \(36, 13\)\)")
    child.sendline("c")
    child.expect("WHAT COMES OUT")
    child.expect("The program finished and will be restarted")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0


def test_ctrl_c_in_the_tour_interrupts_the_program_not_the_debugger(in_lab: Lab) -> None:
    import pexpect

    child = spawn_invert("tour", "wine_knn", cwd=in_lab.root, timeout=90)
    child.expect(r"\(Pdb\) ")
    child.sendline("import time; time.sleep(60)")
    time.sleep(1.0)
    child.sendintr()  # as a learner stops a slow line: pdb says so and asks again
    child.expect("KeyboardInterrupt")
    child.expect(r"\(Pdb\) ")
    child.sendline("p 6 * 7")
    child.expect("42")
    child.sendline("q")
    child.expect(pexpect.EOF)
    child.close()
    assert child.exitstatus == 0
    assert "Stopped" not in (child.before or "")


def test_tour_honours_pythonbreakpoint(in_lab: Lab, tmp_path: Path) -> None:
    hooks = tmp_path / "hooks"
    hooks.mkdir()
    (hooks / "firststop.py").write_text(
        "import bdb, sys\n"
        "class First(bdb.Bdb):\n"
        "    def user_line(self, frame):\n"
        "        print('STOPPED AT', frame.f_code.co_filename.split('/')[-1], frame.f_lineno)\n"
        "        self.set_continue()\n"
        "def hook():\n"
        "    First().set_trace(sys._getframe().f_back)\n",
        encoding="utf-8",
    )
    env = {"PYTHONBREAKPOINT": "firststop.hook", "PYTHONPATH": str(hooks)}
    done = invert_process("tour", "wine_knn", cwd=in_lab.root, env=env, timeout=120)
    assert done.returncode == 0, done.stderr
    assert "in your PYTHONBREAKPOINT debugger" in done.stdout
    assert "STOPPED AT wine_knn.py 1" in done.stdout
    assert "WHAT COMES OUT" in done.stdout
    off = invert_process("tour", "wine_knn", cwd=in_lab.root, env={"PYTHONBREAKPOINT": "0"})
    assert off.returncode == 2
    assert off.stderr.strip() == (
        "error: PYTHONBREAKPOINT=0 turns the debugger off; unset it to take the tour"
    )


def test_tour_guide_follows_the_learners_edits(in_lab: Lab, cli: Cli) -> None:
    script = in_lab.starters.copy("wine_knn")
    text = script.read_text(encoding="utf-8")
    script.write_text(
        "# my notes\n" + text.replace("accuracy = accuracy_score", "acc = accuracy_score")
    )
    planned = in_lab.traces.tour("wine_knn")
    lines = [p.line for p in planned.stops]
    original = [p.line for p in in_lab.traces.tour.__self__.tour("wine_knn").stops]  # type: ignore[attr-defined]
    assert lines == original
    assert lines[0] == line_of(script, "X = wine.data") and lines[-1] is None
    code, _, err = cli("tour", "no_such_starter")
    assert code == 2 and "unknown starter" in err


# --- content checks ------------------------------------------------------------------------------


@pytest.mark.content
def test_dev_check_runs_every_tour_and_trace(tmp_path: Path) -> None:
    done = invert_process("dev", "check", "--only", "tours", cwd=tmp_path, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    runnable = [s.id for s in CATALOG.starters.values() if not missing_extras(s.requires)]
    assert done.stderr.count("checking tour ") == len(runnable)
    assert done.stderr.count(", torch not installed") == len(CATALOG.starters) - len(runnable)
    done = invert_process("dev", "check", "--only", "traces", cwd=tmp_path, timeout=900)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stderr.count("checking trace ") == len(CATALOG.traces)


def test_a_tour_with_a_wrong_expression_or_a_lost_fragment_fails_the_check() -> None:
    from dataclasses import replace

    from invert.kinds.starters.model import TourStop
    from invert.kinds.traces.verify import check_tour_run, check_tour_text

    starter = CATALOG.starter("wine_knn")
    wrong = replace(
        starter,
        tour=(
            TourStop("X = wine.data", "look", ("p X.shape",)),  # X is not assigned yet
            TourStop("model.fit(X_train, y_train)", "look", ("n", "p model[0].mean_[:2]")),
            TourStop("no such line", "look", ("import os",)),
        ),
    )
    static = check_tour_text(wrong)
    assert any("'no such line' is not found" in p for p in static)
    assert any("'import os' is not one of the debugger commands" in p for p in static)
    problems = check_tour_run(wrong)
    assert len(problems) == 1 and "'X.shape' fails: NameError" in problems[0]

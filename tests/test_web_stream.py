"""The playground computes while the learner thinks, streams while it runs, and answers a knob
moved after the result from what was measured before: the real web app on a real lab, its sweeps
in the lab's real warm engine. Nothing of a result reaches a page before the prediction."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from invert.engine.plan import cache_key
from invert.lab import Lab
from test_web import client_for, post, prediction, valid_html, wait_for_job

EXPERIMENT = "knn-k"
NUMBERS = re.compile(r"\b0\.\d{3}\b")  # a score as the result pages print them


@pytest.fixture
def web(lab: Lab) -> Iterator[TestClient]:
    with client_for(lab.root) as client:
        yield client


def wait_cached(lab: Lab, values: str | None = None, limit: float = 120) -> None:
    plan = lab.experiments.plan(EXPERIMENT, values)
    path = lab.experiments.cache.path(cache_key(lab.catalog, plan))
    deadline = time.monotonic() + limit
    while not path.exists():
        assert time.monotonic() < deadline, "the sweep was not measured in the background"
        time.sleep(0.1)


def test_opening_an_experiment_measures_it_and_shows_nothing_until_the_prediction(
    web: TestClient, lab: Lab
) -> None:
    page = web.get(f"/playground/{EXPERIMENT}")
    assert page.status_code == 200
    wait_cached(lab)  # measured while the learner reads and predicts
    again = web.get(f"/playground/{EXPERIMENT}").text
    assert not NUMBERS.search(again) and 'id="result"' not in again  # nothing shown
    assert lab.store.events("experiment_run") == []  # nor journalled as seen
    started = time.perf_counter()
    answer = post(web, f"/playground/{EXPERIMENT}/run", prediction())
    assert time.perf_counter() - started < 2.0  # answered from what was measured ahead
    assert answer.status_code == 200 and 'id="result"' in answer.text
    assert 'data-blind="true"' in answer.text  # a prediction made before seeing: counted
    [row] = lab.store.predictions()
    assert row.counted


def test_a_knob_changed_before_predicting_is_measured_and_the_answer_is_empty(
    web: TestClient, lab: Lab
) -> None:
    answer = post(web, f"/playground/{EXPERIMENT}/prepare", {"value": ["2", "9", "40"]})
    assert answer.status_code == 204 and answer.content == b""
    wait_cached(lab, "2,9,40")
    refused = post(web, f"/playground/{EXPERIMENT}/prepare", {"value": ["0", "9"]})
    assert refused.status_code == 400 and "outside the range" in refused.text
    assert lab.store.events() and not lab.store.events("experiment_run")


def test_a_running_sweep_shows_its_points_as_they_are_fitted(web: TestClient, lab: Lab) -> None:
    started = post(web, f"/playground/{EXPERIMENT}/run", prediction(value=["3", "11", "50"]))
    assert started.status_code == 200 and "hx-get" in started.text
    job = re.search(r'hx-get="(/jobs/[\w-]+)"', started.text)
    assert job is not None
    partials = []
    while True:
        page = web.get(job.group(1)).text
        if 'data-state="done"' in page:
            break
        if 'id="progress"' in page:
            partials.append(page)
            valid_html(page, "a running sweep")
        time.sleep(0.05)
    assert partials, "no point was shown while the sweep ran"
    assert any(re.search(r"<td>[1-5]/5</td>", p) for p in partials)  # some splits, then more


def test_moving_a_setting_after_the_result_answers_from_what_was_measured(
    web: TestClient, lab: Lab
) -> None:
    first = post(web, f"/playground/{EXPERIMENT}/run", prediction(value=["1", "5", "25"]))
    done = wait_for_job(web, first.text) if "hx-get" in first.text else first.text
    assert 'id="explore"' in done and 'type="range"' in done  # the sliders, after the result
    # The same values and settings again, with no prediction: every point is known.
    same = {"value": ["1", "5", "25"], "set.data.train_fraction": "1.0"}
    started = time.perf_counter()
    again = post(web, f"/playground/{EXPERIMENT}/explore", same)
    assert time.perf_counter() - started < 1.0
    assert again.status_code == 200 and 'id="result"' in again.text
    # One new value: the two known points are on the first answer, before any fit.
    more = post(web, f"/playground/{EXPERIMENT}/explore", {**same, "value": ["1", "5", "8"]})
    assert 'id="progress"' in more.text
    assert len(re.findall(r"<td>5/5</td>", more.text)) == 2
    wait_for_job(web, more.text)
    runs = lab.store.events("experiment_run")
    assert [r.payload["prediction"] is None for r in runs] == [False, True, True]
    assert len(lab.store.predictions()) == 1  # exploring records no prediction

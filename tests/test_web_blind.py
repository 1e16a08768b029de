"""The playground records one prediction per submission, and a prediction made after seeing the
result is practice: the real web app (FastAPI's TestClient) on a real lab and real sweeps."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from invert.lab import Lab
from test_web import EXPERIMENT, client_for, post, prediction, wait_for_job


@pytest.fixture
def web(lab: Lab) -> Iterator[TestClient]:
    with client_for(lab.root) as client:
        yield client


def token_of(html: str) -> str:
    match = re.search(r'name="once" id="once" value="([\w-]+)"', html)
    assert match, "the run form carries no one-time token"
    return match.group(1)


def test_the_same_form_sent_twice_records_one_prediction(web: TestClient, lab: Lab) -> None:
    form = web.get(f"/playground/{EXPERIMENT}").text
    data = prediction(value=["1", "4", "16"], once=token_of(form))
    first = post(web, f"/playground/{EXPERIMENT}/run", data)
    assert first.status_code == 200 and "hx-get" in first.text  # a job started
    again = post(web, f"/playground/{EXPERIMENT}/run", data)  # a double click, a resent POST
    assert again.status_code == 409
    assert "already sent" in again.text and "hx-get" not in again.text  # no second job
    assert again.headers["HX-Reswap"] == "none"  # the page keeps showing the first job
    done = wait_for_job(web, first.text)
    assert 'id="verdict"' in done and 'data-blind="true"' in done
    assert len(lab.store.predictions()) == 1
    assert lab.store.count("experiment_run") == 1
    # Even once the run is over, and answered from the cache, the token stays spent.
    assert post(web, f"/playground/{EXPERIMENT}/run", data).status_code == 409
    assert len(lab.store.predictions()) == 1


def test_a_refused_form_can_be_corrected_and_sent_with_its_token(web: TestClient, lab: Lab) -> None:
    once = uuid.uuid4().hex
    bad = post(web, f"/playground/{EXPERIMENT}/run", prediction(value=["1", "999"], once=once))
    assert bad.status_code == 400 and "outside the range" in bad.text
    good = post(web, f"/playground/{EXPERIMENT}/run", prediction(value=["1", "9"], once=once))
    assert good.status_code == 200
    wait_for_job(web, good.text)
    assert len(lab.store.predictions()) == 1
    missing = prediction(value=["1", "9"])
    del missing["once"]
    refused = post(web, f"/playground/{EXPERIMENT}/run", missing)
    assert refused.status_code == 400 and "submission token" in refused.text


def test_a_prediction_after_seeing_the_result_is_practice(web: TestClient, lab: Lab) -> None:
    first = post(web, f"/playground/{EXPERIMENT}/run", prediction(value=["1", "9", "40"]))
    done = wait_for_job(web, first.text)
    assert 'data-blind="true"' in done and "Practice" not in done
    # The result names the token for the next run; the learner changes the prediction and runs.
    next_once = re.search(r'data-next-once="([\w-]+)"', done)
    assert next_once
    changed = prediction(value=["1", "9", "40"], once=next_once.group(1), shape="rises then falls")
    again = post(web, f"/playground/{EXPERIMENT}/run", changed)
    assert again.status_code == 200 and "from the cache" in again.text
    assert 'data-blind="false"' in again.text and "✓" not in again.text
    assert "Practice, not counted" in again.text
    assert "you saw this experiment&#39;s result over n_neighbors 1-40" in again.text
    rows = lab.store.predictions()
    assert [r.blind for r in rows] == [1, 0]
    assert lab.journal.predictive_power().overall.predictions == 1
    listing = web.get("/playground").text
    assert "(+1 practice, not counted)" in listing


def test_the_form_warns_when_its_default_sweep_was_seen(web: TestClient, lab: Lab) -> None:
    assert 'id="seen-note"' not in web.get(f"/playground/{EXPERIMENT}").text
    plan = lab.experiments.plan(EXPERIMENT, "7,30")  # inside the default 1..125
    lab.experiments.try_(
        plan, lab.experiments.make_prediction(plan, "rises", "70"), jobs=1, plots=False
    )
    page = web.get(f"/playground/{EXPERIMENT}").text
    assert 'id="seen-note"' in page and "over n_neighbors 7-30" in page


def test_two_posts_of_one_form_at_the_same_moment_start_one_sweep(
    web: TestClient, lab: Lab
) -> None:
    """Sent at once from two threads (a double click with no script): one job, one prediction."""
    from concurrent.futures import ThreadPoolExecutor

    data = prediction(value=["2", "6", "18"])
    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(lambda _: post(web, f"/playground/{EXPERIMENT}/run", data), [1, 2]))
    assert sorted(a.status_code for a in answers) == [200, 409]
    started = next(a for a in answers if a.status_code == 200)
    wait_for_job(web, started.text)
    assert len(lab.store.predictions()) == 1
    assert lab.store.count("experiment_run") == 1

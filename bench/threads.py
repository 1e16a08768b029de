"""Why invert pins BLAS threads: one logistic regression on digits, 1 thread against the default.

Run: .venv/bin/python bench/threads.py [--record]
"""

from __future__ import annotations

import time

from _common import interleaved, record, table


def main() -> None:
    from sklearn.datasets import load_digits
    from sklearn.linear_model import LogisticRegression
    from threadpoolctl import threadpool_info, threadpool_limits

    X, y = load_digits(return_X_y=True)
    X = X / 16

    def fit(threads: int | None) -> float:
        with threadpool_limits(limits=threads):
            start = time.perf_counter()
            LogisticRegression(max_iter=2000).fit(X, y)
            return time.perf_counter() - start

    default = max(i["num_threads"] for i in threadpool_info())
    times = interleaved(
        7,
        {
            "1 BLAS thread (invert)": lambda: fit(1),
            f"default ({default} threads)": lambda: fit(None),
        },
    )
    record(
        "threads",
        ".venv/bin/python bench/threads.py --record",
        table(times, "1 BLAS thread (invert)"),
    )


if __name__ == "__main__":
    main()

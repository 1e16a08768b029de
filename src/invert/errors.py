"""The one exception type for failures a learner can cause."""


class LearnerError(Exception):
    """A failure the learner caused (unknown id, no lab, a broken script, a missing extra).

    The CLI prints its message as one line on stderr and exits with code 2; the web app shows it
    as a page. The message must say what is wrong and, where it can, what to do next. Raising it
    must leave the lab as it was. Bugs in invert itself raise anything else.
    """

    exit_code = 2


class UnknownError(LearnerError):
    """An id that names nothing in the catalogue (the web app answers it with 404)."""


class LabBusy(LearnerError):
    """Another process holds the lab's write lock for longer than this one would wait (the web
    app answers it with 503): nothing was written."""


class LabReadOnly(LearnerError):
    """The lab cannot be written by this process: reading it works, a change is refused."""

"""The pages every exercise kind shares: its list, one item's page, and the start, hint and
check buttons on it (the check runs as a job, its output streamed to the page).

`exercise_router(kind)` makes them for any kind whose part is an `Exercises`: at
``/<kind.name>`` and ``/<kind.name>/<id>``, with the plain templates exercises.html and
exercise.html unless the kind names its own (drills, rebuild).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated, Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse

from invert.lab import Lab
from invert.web.context import lab, render

if TYPE_CHECKING:
    from invert.kinds.kind import Kind
    from invert.web.jobs import Job


def exercise_router(
    kind: Kind,
    list_template: str = "exercises.html",
    item_template: str = "exercise.html",
    param: str = "item_id",
) -> APIRouter:
    """The kind's pages; `param` names the id in the item's path (tests list the routes)."""
    router = APIRouter(include_in_schema=False)  # pages; /api/openapi.json describes the JSON
    base = f"/{kind.name}"
    active = kind.nav[0][0] if kind.nav else base
    item_path = f"{base}/{{{param}}}"

    def item_page(request: Request, lab: Lab, item_id: str) -> HTMLResponse:
        part = lab.part(kind.name)
        status = part.status(item_id)
        item = status.item
        return render(
            request,
            item_template,
            active=active,
            kind=kind,
            status=status,
            item=item,
            script=part.path(item).relative_to(lab.root).as_posix(),
            hints=part.hints_shown(item.id),
            solution=part.solution(item.id) if status.state == part.passed else None,
        )

    @router.get(base, response_class=HTMLResponse)
    async def listing(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
        statuses = lab.part(kind.name).statuses()
        return render(request, list_template, active=active, kind=kind, statuses=statuses)

    @router.get(item_path, response_class=HTMLResponse)
    async def show(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
        return item_page(request, lab, request.path_params[param])

    @router.post(f"{item_path}/start", response_class=HTMLResponse)
    def start(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
        lab.part(kind.name).start(request.path_params[param])
        return item_page(request, lab, request.path_params[param])

    @router.post(f"{item_path}/hint", response_class=HTMLResponse)
    def hint(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
        found = lab.part(kind.name).next_hint(request.path_params[param])
        return render(request, "_partials/hint.html", hint=found, oob=True)

    @router.post(f"{item_path}/check", response_class=HTMLResponse)
    def check(request: Request, lab: Annotated[Lab, Depends(lab)]) -> HTMLResponse:
        part = lab.part(kind.name)
        item = part.item(request.path_params[param])
        if not part.path(item).is_file():
            part.check(item.id)  # raises the CLI's message: start it first

        def work(job_lab: Lab, job: Job) -> Any:
            return job_lab.part(kind.name).check(item.id, on_output=job.write)

        job = request.app.state.jobs.start(part.prefix, item.id, work)
        return render(request, "_partials/job.html", job=job)

    return router

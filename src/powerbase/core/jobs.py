"""Background jobs with progress, on Django's tasks framework and the database backend.

A job is a row in `Job` plus one `run_job` task that the worker (`powerbase worker`) picks up.
The row is what people watch: the web page polls it for the progress bar, the CLI draws one
from it, and a failure's message is stored on it for the person who started it.

To add a kind of job, write a handler and list it in `core.job_kinds.KINDS`:

    def load_demo(job: Job, progress: Progress) -> dict:
        progress.update(0, total=3, message="Creating organizations")
        ...
        return {"organizations": 2}          # kept as job.result

Handlers run once per enqueue but must be safe to run twice (a worker can die mid-way and the
job be started again): do the work in transactions and skip what is already done.
"""

import logging
import os
import socket
import time
from collections.abc import Callable
from datetime import timedelta
from importlib import import_module

from django.conf import settings
from django.db import transaction
from django.tasks import TaskResultStatus, task
from django.utils import timezone

from powerbase.core import access, audit
from powerbase.core.access import Actor
from powerbase.core.exceptions import PowerbaseError
from powerbase.core.job_kinds import KINDS, label_for  # noqa: F401 - the names callers use
from powerbase.core.models import Job, Organization, User

logger = logging.getLogger(__name__)

# Chores the worker runs on a schedule: when it starts, then every HOUSEKEEPING_EVERY (a task
# that queues its own next run). Each is "module:function" and must be safe to run any time.
HOUSEKEEPING: tuple[str, ...] = (
    "powerbase.core.jobs:fail_abandoned",
    "powerbase.imports.retention:purge",
    "powerbase.money.retention:purge",
    "powerbase.messaging.schedule:send_due",
    "powerbase.core.exports:purge",
)
# Often enough that a reminder "two hours before" goes within minutes of its time.
HOUSEKEEPING_EVERY = timedelta(minutes=5)


class Progress:
    """Report how far a job has got. Writes are throttled so tight loops stay fast."""

    def __init__(
        self, job: Job, min_interval: float = 0.5, listener: Callable[[Job], None] | None = None
    ):
        self.job = job
        self.min_interval = min_interval
        self.listener = listener
        self._last_write = 0.0

    def update(
        self,
        done: int,
        *,
        total: int | None = None,
        message: str | None = None,
        force: bool = False,
    ) -> None:
        self.job.done = done
        if total is not None:
            self.job.total = total
        if message is not None:
            self.job.message = message[:300]
        now = time.monotonic()
        if force or message is not None or now - self._last_write >= self.min_interval:
            self._last_write = now
            Job.objects.filter(pk=self.job.pk).update(
                done=self.job.done,
                total=self.job.total,
                message=self.job.message,
                heartbeat_at=timezone.now(),
            )
        if self.listener is not None:
            self.listener(self.job)


# The params key saying who started a job that no user started ("command line", "system").
STARTED_FROM = "started_from"


def start(
    *,
    kind: str,
    started_by: Actor | User | None,
    organization: Organization | None,
    params: dict | None = None,
    enqueue: bool = True,
) -> Job:
    """Create a job of *kind* and queue it for the worker once the current transaction commits.

    *started_by* is who asked: an actor (the command line is audited as such), or a user;
    None only for platform jobs with no organization (loading the demo).

    With `enqueue=False` the caller runs it itself (`run_job.call(job.pk)`), as the CLI does
    so that a command works without a worker and draws its own progress bar.
    """
    if kind not in KINDS:
        raise ValueError(f"Unknown job kind {kind!r}: add it to core.job_kinds.KINDS.")
    params = dict(params or {})
    if isinstance(started_by, Actor) and not started_by.is_signed_in:
        params[STARTED_FROM] = started_by.label  # its writes are audited the same way
    with transaction.atomic():
        job = Job.objects.create(
            kind=kind,
            organization=organization,
            started_by=getattr(started_by, "user", started_by),
            params=params,
            message="Waiting for a worker",
        )
        audit.record(
            started_by, "job.started", job, organization=organization, changes={"kind": kind}
        )
        if enqueue:
            transaction.on_commit(lambda: _enqueue(job))
    return job


def actor_of(job: Job) -> Actor | User:
    """Return who a job's writes are audited as: the user who started it, the command line
    when it was started there, else the system."""
    if job.started_by is not None:
        return job.started_by
    organization = organization_of(job)
    if job.params.get(STARTED_FROM) == access.COMMAND_LINE:
        return access.command_line(organization)
    return access.system(organization)


def organization_of(job: Job) -> Organization:
    """Return the organization *job* works in: every job has one but the platform's own."""
    if job.organization is None:
        raise ValueError(f"Job {job.pk} ({job.kind}) belongs to no organization.")
    return job.organization


def _enqueue(job: Job) -> None:
    result = run_job.enqueue(job.pk)
    Job.objects.filter(pk=job.pk).update(task_result_id=str(result.id))


@task()
def run_job(job_id: int) -> None:
    """Run the handler of one job (the worker's entry point)."""
    execute(job_id)


def execute(job_id: int, listener: Callable[[Job], None] | None = None) -> None:
    """Run the handler of one job, recording progress, outcome and any error on its row.

    *listener* hears every progress report: the CLI runs jobs itself and draws its bar from it.
    """
    fail_abandoned()
    # Claim the job: only a queued one starts, so a repeated delivery, or a worker and the CLI
    # both reaching for it, runs it once.
    now = timezone.now()
    claimed = Job.objects.filter(pk=job_id, status=Job.Status.QUEUED).update(
        status=Job.Status.RUNNING,
        started_at=now,
        heartbeat_at=now,
        message="Started",
        error="",
        worker=this_worker(),
    )
    if not claimed:
        return
    job = Job.objects.get(pk=job_id)
    progress = Progress(job, listener=listener)
    try:
        result = _handler(job.kind)(job, progress) or {}
    except PowerbaseError as error:
        _finish(job, Job.Status.FAILED, error=error.message)
    except Exception as error:
        # The log's formatter withholds the exception's message (core.logs). The person who
        # started the job sees it ("disk full"), cut short: some messages list whole rows.
        logger.exception("Job %s (%s) failed", job.pk, job.kind)
        _finish(
            job,
            Job.Status.FAILED,
            error=f"Unexpected error: {error.__class__.__name__}: {str(error)[:300]}. The "
            f"details are in the worker's log under job {job.pk}.",
        )
    else:
        _finish(job, Job.Status.SUCCEEDED, result=result)


def _finish(job: Job, status: str, *, error: str = "", result: dict | None = None) -> None:
    done = job.total if status == Job.Status.SUCCEEDED and job.total else job.done
    message = "Finished" if status == Job.Status.SUCCEEDED else "Failed"
    Job.objects.filter(pk=job.pk).update(
        status=status,
        error=error,
        result=result or {},
        finished_at=timezone.now(),
        done=done,
        message=message,
    )


def run_housekeeping() -> None:
    """Run every chore in HOUSEKEEPING; one that fails is logged and the others still run."""
    for path in HOUSEKEEPING:
        try:
            _handler_at(path)()
        except Exception as error:  # noqa: BLE001 - a chore must not stop the worker
            # The class only: an error's text can quote data, and logs must not hold any.
            logger.error("Housekeeping %s failed: %s", path, error.__class__.__name__)


@task()
def housekeeping() -> None:
    """The worker's scheduled chores; queues the next run before it ends."""
    run_housekeeping()
    schedule_housekeeping()


def schedule_housekeeping() -> None:
    """Queue the next housekeeping run, unless one is already waiting."""
    from django_tasks_db.models import DBTaskResult

    waiting = DBTaskResult.objects.filter(
        task_path=housekeeping.module_path, status=TaskResultStatus.READY
    ).exists()
    if not waiting:
        housekeeping.using(run_after=timezone.now() + HOUSEKEEPING_EVERY).enqueue()


def this_worker() -> str:
    """Name this process as host:pid, so another worker on the host can see whether it lives."""
    return f"{socket.gethostname()}:{os.getpid()}"


def fail_abandoned() -> list[int]:
    """Mark failed the running jobs whose worker died (killed, or the machine restarted).

    A job's worker is dead when it ran on this host and its process is gone, or, wherever it
    ran, when it has not reported progress for settings.JOB_STALE_AFTER. Every worker checks
    when it starts and before each job it runs. Returns the ids of the jobs marked.
    """
    cutoff = timezone.now() - settings.JOB_STALE_AFTER
    abandoned = [
        job_id
        for job_id, worker, heartbeat in Job.objects.filter(status=Job.Status.RUNNING).values_list(
            "pk", "worker", "heartbeat_at"
        )
        if not _alive(worker) or heartbeat is None or heartbeat < cutoff
    ]
    for job_id in abandoned:
        marked = Job.objects.filter(pk=job_id, status=Job.Status.RUNNING).update(
            status=Job.Status.FAILED,
            finished_at=timezone.now(),
            message="Failed",
            error="The worker running this job stopped before it finished (it was killed or "
            "its machine restarted). Whatever it had saved is kept; start the job again "
            "to finish the rest.",
        )
        if marked:
            logger.warning("Job %s was abandoned by its worker; marked failed.", job_id)
    return abandoned


def _alive(worker: str) -> bool:
    """False only when *worker* ran on this host and its process no longer exists."""
    host, _, pid = worker.rpartition(":")
    if host != socket.gethostname() or not pid.isdigit():
        return True
    try:
        os.kill(int(pid), 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process by that number: it exists
        return True
    return True


def _handler(kind: str):
    return _handler_at(KINDS[kind][0])


def _handler_at(path: str):
    module_name, function_name = path.split(":")
    return getattr(import_module(module_name), function_name)


def selftest(job: Job, progress: Progress) -> dict:
    """Count to the number in params (failing or pausing on request): proves the worker runs
    jobs, and gives a test a job to kill mid-run."""
    steps = int(job.params.get("steps", 3))
    progress.update(0, total=steps, message="Counting")
    for step in range(1, steps + 1):
        if job.params.get("fail_at") == step:
            raise PowerbaseError(f"The self-test was asked to fail at step {step}.")
        time.sleep(float(job.params.get("pause", 0)))
        progress.update(step, force=True)
    return {"counted": steps}

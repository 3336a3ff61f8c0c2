"""Draw a job's progress bar in the terminal, from its row, until it finishes."""

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def watch(
    job_id: int, *, console: Console, interval: float = 0.3, stall_warning_after: float = 30.0
) -> bool:
    """Follow job *job_id*; return True if it succeeded. Prints its error if it failed.

    On a terminal it draws a progress bar; otherwise (a log, systemd, CI, a pipe) it prints a
    plain line each time the job's step or whole percent changes, since a bar redrawn in place
    shows nothing there until the job ends.
    """
    from powerbase.core.models import Job

    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        console.print(f"[red]There is no job number {job_id}.[/]")
        return False
    if console.is_terminal:
        with Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            console=console,
            transient=False,
        ) as bar:
            task = bar.add_task(job.label, total=job.total)

            def draw(job: Job) -> None:
                bar.update(task, completed=job.done, total=job.total, description=_describe(job))

            _follow(job, draw, console, interval, stall_warning_after)
    else:
        _follow(job, _plain_lines(console), console, interval, stall_warning_after)
    if job.status == Job.Status.FAILED:
        console.print(f"[bold red]Failed:[/] {job.error}")
        return False
    return True


def _follow(job, show, console: Console, interval: float, stall_warning_after: float) -> None:
    """Refresh *job* until it finishes, passing it to *show* each time."""
    from powerbase.core.models import Job

    queued_since = time.monotonic()
    warned = False
    while True:
        job.refresh_from_db()
        show(job)
        if job.is_finished:
            return
        if (
            job.status == Job.Status.QUEUED
            and not warned
            and time.monotonic() - queued_since > stall_warning_after
        ):
            console.print("[yellow]Still waiting for a worker. Is `powerbase worker` running?[/]")
            warned = True
        time.sleep(interval)


def _plain_lines(console: Console):
    """Return a *show* that prints "label: step (43%)" when that line changes."""
    last = ""

    def show(job) -> None:
        nonlocal last
        line = _describe(job) if job.percent is None else f"{_describe(job)} ({job.percent}%)"
        if line != last:
            console.print(line, markup=False, highlight=False, soft_wrap=True)
            last = line

    return show


def _describe(job) -> str:
    return f"{job.label}: {job.message}" if job.message else job.label


def run_here(job_id: int, *, console: Console) -> bool:
    """Run job *job_id* in this process, drawing its progress bar; return True if it succeeded."""
    from powerbase.core import jobs
    from powerbase.core.models import Job

    job = Job.objects.get(pk=job_id)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
    ) as bar:
        task = bar.add_task(job.label, total=None)

        def show(progress_job: Job) -> None:
            label = f"{job.label}: {progress_job.message}" if progress_job.message else job.label
            bar.update(
                task, completed=progress_job.done, total=progress_job.total, description=label
            )

        jobs.execute(job_id, listener=show)
    job.refresh_from_db()
    if job.status == Job.Status.FAILED:
        console.print(f"[bold red]Failed:[/] {job.error}")
        return False
    return True

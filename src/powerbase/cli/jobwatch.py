"""Draw a job's progress bar in the terminal, from its row, until it finishes."""

import time

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn


def watch(
    job_id: int, *, console: Console, interval: float = 0.3, stall_warning_after: float = 30.0
) -> bool:
    """Follow job *job_id*; return True if it succeeded. Prints its error if it failed."""
    from powerbase.core.models import Job

    job = Job.objects.filter(pk=job_id).first()
    if job is None:
        console.print(f"[red]There is no job number {job_id}.[/]")
        return False
    queued_since = time.monotonic()
    warned = False
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=False,
    ) as bar:
        task = bar.add_task(job.label, total=job.total)
        while True:
            job.refresh_from_db()
            bar.update(
                task,
                completed=job.done,
                total=job.total,
                description=f"{job.label}: {job.message}" if job.message else job.label,
            )
            if job.is_finished:
                break
            if (
                job.status == Job.Status.QUEUED
                and not warned
                and time.monotonic() - queued_since > stall_warning_after
            ):
                console.print(
                    "[yellow]Still waiting for a worker. Is `powerbase worker` running?[/]"
                )
                warned = True
            time.sleep(interval)
    if job.status == Job.Status.FAILED:
        console.print(f"[bold red]Failed:[/] {job.error}")
        return False
    return True


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

"""Benchmark: a 50,000-person export as a job, next to the same export written while the
browser waits.

    .venv/bin/python bench/export_job.py                  # SQLite, 50,000 people
    .venv/bin/python bench/export_job.py --postgres       # PostgreSQL (a scratch database)
    .venv/bin/python bench/export_job.py --people 10000   # a quicker run

It fills a scratch database with fictional people (`people_search.fill`: an email, a phone
and an affiliate each), signs a data director in with Django's test client and requests the
people page's CSV export twice: once with the inline limit above the row count (the whole
file is written inside the request: the baseline) and once with the default limit, where the
request only counts the rows, starts the job and redirects. It then runs that job in-process
and times it. The figure that matters is what the person waits for before the page answers:
the job's request against the inline export's whole download, in the same run.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_people import configure, drop  # noqa: E402
from people_search import fill  # noqa: E402


def password_just_typed(client) -> None:
    """Mark the session's password as just typed: the export asks again after 5 minutes, and
    the inline export alone can take that long on a busy machine."""
    from powerbase.core import sessions

    session = client.session
    session[sessions.CONFIRMED_AT] = time.time()
    session.save()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=50_000)
    parser.add_argument("--postgres", action="store_true")
    parser.add_argument("--profile", action="store_true", help="print where the job's time goes")
    args = parser.parse_args()
    database = configure(postgres=args.postgres)
    os.environ["ALLOWED_HOSTS"] = "testserver"
    try:
        import django

        django.setup()
        from django.conf import settings
        from django.core.management import call_command
        from django.test import Client
        from django.urls import reverse

        call_command("migrate", verbosity=0)
        from powerbase.core import access, jobs, services
        from powerbase.core.models import Job, Role

        organization = services.create_organization(
            name="Bench For All", slug="bench", state="CT", require_two_factor=False
        )
        started = time.perf_counter()
        fill(organization, args.people)
        print(f"filled {args.people:,} people in {time.perf_counter() - started:.0f} s")
        command_line = access.command_line(organization)
        data = services.create_user(
            email="data@bench.example", password=None, created_by=command_line
        )
        services.grant_role(user=data, role=Role.DATA, granted_by=command_line)
        client = Client()
        client.force_login(data)
        url = reverse("people:export", kwargs={"org": "bench", "file_format": "csv"})

        settings.EXPORT_INLINE_LIMIT = args.people + 1
        password_just_typed(client)
        started = time.perf_counter()
        response = client.get(url)
        inline_first = time.perf_counter() - started
        assert response.status_code == 200, response.get("Location")
        size = sum(len(chunk) for chunk in response.streaming_content)
        inline_total = time.perf_counter() - started

        settings.EXPORT_INLINE_LIMIT = 2000
        password_just_typed(client)
        started = time.perf_counter()
        response = client.get(url)
        job_request = time.perf_counter() - started
        job = Job.objects.get(kind="people.export")
        assert response["Location"].endswith(f"/exports/{job.pk}/"), response["Location"]
        started = time.perf_counter()
        if args.profile:
            import cProfile
            import pstats

            with cProfile.Profile() as profile:
                jobs.execute(job.pk)
            pstats.Stats(profile).sort_stats("tottime").print_stats(30)
        else:
            jobs.execute(job.pk)
        job_run = time.perf_counter() - started
        job.refresh_from_db()
        assert job.status == Job.Status.SUCCEEDED, job.error
        assert job.result["bytes"] == size, (job.result["bytes"], size)

        print(
            f"\n{'PostgreSQL' if args.postgres else 'SQLite'}, {args.people:,} people, "
            f"CSV of {size / 1e6:.1f} MB, one run each"
        )
        rows = [
            ("inline export: first byte", inline_first),
            ("inline export: whole download (baseline)", inline_total),
            ("job export: the request (count, start, redirect)", job_request),
            ("job export: the worker writing the file", job_run),
        ]
        for name, seconds in rows:
            print(f"  {name:<52} {seconds:8.2f} s  {seconds / inline_total:7.3f}x")
    finally:
        drop(database)


if __name__ == "__main__":
    main()

"""How long the two matching jobs take on the full demo, against the engine alone.

    python bench/identity_jobs.py                       # builds the demo base first (~3 min)
    python bench/identity_jobs.py --base DIR            # reuse a demo base built before

The demo base (~49,000 people, a ~500,000-voter file) is loaded once without its matching
step into DIR (a data directory with its SQLite database), then copied for the run. The
jobs `identity.dedupe` and `identity.link` run as the worker would run them, with every
stage timed; the baseline is the linkage engine's own `dedupe` and `link` on the same people
and voters in the same run, so the ratio is what the jobs add (explaining pairs, storing
them, merging and linking, auditing).
"""

import argparse
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", type=Path, help="a data dir holding a demo base built before")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="identity-bench-") as scratch:
        base = args.base or Path(scratch) / "base"
        if args.base is None:
            build_base(base)
        work = Path(scratch) / "work"
        shutil.copytree(base, work)
        os.environ["POWERBASE_DATA_DIR"] = str(work)
        os.environ.setdefault("DEBUG", "1")
        os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
        import django

        django.setup()
        report(run_jobs(), run_engine())


def build_base(target: Path) -> None:
    """Load the demo at full scale into *target*, without its matching step."""
    import subprocess

    target.mkdir(parents=True)
    code = (
        "import django; django.setup();"
        "from django.core.management import call_command; call_command('migrate', verbosity=0);"
        "import powerbase.demo.load as L; L.load_identity_demo = lambda state: {};"
        "from powerbase.core import jobs;"
        "job = jobs.start(kind='demo.load', started_by=None, organization=None, enqueue=False);"
        "jobs.execute(job.pk)"
    )
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, "-c", code],
        check=True,
        env={
            **os.environ,
            "POWERBASE_DATA_DIR": str(target),
            "DEBUG": "1",
            "POWERBASE_DEMO_SCALE": "1",
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "PYTHONPATH": os.pathsep.join(sys.path[:2]),
        },
    )
    print(f"Built the demo base in {time.perf_counter() - started:.0f} s")


def run_jobs() -> dict:
    from powerbase.core import jobs
    from powerbase.core.models import Organization, User

    organization = Organization.objects.get(slug="nutmeg")
    director = User.objects.get(email="data@nutmeg.example")
    found = {}
    for kind in ("identity.dedupe", "identity.link"):
        stages: list[tuple[str, float]] = []
        last = [time.perf_counter(), "queued"]

        def listen(job, stages=stages, last=last) -> None:
            if job.message != last[1]:
                now = time.perf_counter()
                stages.append((last[1], now - last[0]))
                last[0], last[1] = now, job.message

        started = time.perf_counter()
        job = jobs.start(kind=kind, started_by=director, organization=organization, enqueue=False)
        jobs.execute(job.pk, listener=listen)
        stages.append((last[1], time.perf_counter() - last[0]))
        job.refresh_from_db()
        found[kind] = {
            "seconds": time.perf_counter() - started,
            "result": job.result,
            "stages": stages,
            "status": job.status,
            "error": job.error,
        }
    return found


def run_engine() -> dict:
    """The engine alone on the same people and voters (after the jobs: merged people out)."""
    from powerbase.core.models import Organization
    from powerbase.identity.linkage import dedupe, link
    from powerbase.identity.runs import VOTER_COLUMNS, people_table, settings_for
    from powerbase.voterfile import store
    from powerbase.voterfile.models import VoterFileVersion

    organization = Organization.objects.get(slug="nutmeg")
    people = people_table(organization)
    started = time.perf_counter()
    dedupe(people, settings=settings_for(people.num_rows))
    engine_dedupe = time.perf_counter() - started
    version = VoterFileVersion.objects.filter(organization=organization).current()
    with store.reading(version) as con:
        started = time.perf_counter()
        link(
            people,
            "voters",
            connection=con,
            right_columns=VOTER_COLUMNS,
            settings=settings_for(people.num_rows),
        )
        engine_link = time.perf_counter() - started
    return {"identity.dedupe": engine_dedupe, "identity.link": engine_link}


def report(jobs_run: dict, engine: dict) -> None:
    print(f"Load average at the end: {os.getloadavg()[0]:.1f}")
    for kind, found in jobs_run.items():
        print(f"\n{kind}: {found['status']} in {found['seconds']:.1f} s {found['error']}")
        for message, seconds in found["stages"]:
            if seconds >= 0.5:
                print(f"  {seconds:6.1f} s  {message}")
        print(f"  result: {found['result']}")
        print(
            f"  engine alone: {engine[kind]:.1f} s; ratio job / engine: "
            f"{found['seconds'] / engine[kind]:.2f}"
        )
    total = sum(found["seconds"] for found in jobs_run.values())
    print(f"\nBoth jobs: {total:.1f} s (demo budget for the identity step: 40 s)")


if __name__ == "__main__":
    main()

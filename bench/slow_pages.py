"""Benchmark: the pages issue 15 found slowest on the full demo, before and after a change,
in the same run.

    .venv/bin/python bench/slow_pages.py --before /tmp/before --data-dir var/bench-pg \\
        --database-url postgres://postgres@127.0.0.1:5432/pages_bench

*--before* is a source tree of the code to compare with (`git archive main | tar -x -C
/tmp/before`). The demo must be loaded in --data-dir already (`bench/pages.py` loads it).
Two servers run side by side on the same database and data dir, 2 gunicorn workers each:
this tree's and the --before tree's. Each role signs in to both; every page is then
requested --repeat times from each server in turn (which server goes first alternates), so
both meet the same load on the shared machine. The first view of each page in each server
is left out of the figures (it fills the caches both versions keep) and shown apart.

Prints, per URL name, p50 and p95 before and after, and the ratio of the p95s after/before:
on a machine shared with other work, compare the ratios, not the milliseconds. Pages: the
power map and a district of it, the voter file's page of that district, officials' pages,
every electorate and every vote of the demo.
"""

import argparse
import os
import random
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

import pages  # noqa: E402 - the page benchmark's sign-in, timing and server helpers

ROLES = {"owner": "owner@nutmeg.example", "organizer": "organizer@nutmeg.example"}


def addresses(officials: int) -> list[tuple[str, str]]:
    """Return (URL name, address) of the pages measured, found in the demo's database."""
    from powerbase.core.models import Organization
    from powerbase.democracy.models import Electorate, Vote
    from powerbase.legislature.models import Official
    from powerbase.voterfile.models import District, VoterFileVersion

    organization = Organization.objects.get(slug="nutmeg")
    slug = organization.slug
    version = VoterFileVersion.objects.filter(organization=organization).current()
    found = [("power:map", f"/o/{slug}/power/")]
    if version is not None:
        district = (
            District.objects.filter(version=version, kind="state_house")
            .order_by("-voter_count")
            .first()
        )
        if district is not None:
            found += [
                ("power:district", f"/o/{slug}/power/districts/{district.pk}/"),
                ("voterfile:district", f"/o/{slug}/districts/{district.pk}/"),
            ]
    for official in Official.objects.filter(organization=organization).order_by("id")[:officials]:
        found.append(("legislature:official", f"/o/{slug}/legislature/officials/{official.pk}/"))
    for electorate in Electorate.objects.filter(organization=organization).order_by("id"):
        found.append(("democracy:electorate", f"/o/{slug}/democracy/electorates/{electorate.pk}/"))
    for vote in Vote.objects.filter(organization=organization).order_by("id"):
        found.append(("democracy:vote", f"/o/{slug}/democracy/votes/{vote.pk}/"))
    return found


COLLECT_STATIC = (
    "import django; django.setup(); from django.core.management import call_command; "
    "call_command('collectstatic', interactive=False, verbosity=0)"
)


def start(tree: Path, args, port: int, log_name: str) -> subprocess.Popen:
    """Start gunicorn on *tree*'s code, as `powerbase serve` does (static files first)."""
    env = pages.environment(args) | {
        "DEBUG": "0",
        "POWERBASE_HTTPS": "0",
        "SECRET_KEY": (args.data_dir / "dev-secret-key").read_text().strip(),
        "PYTHONPATH": f"{tree / 'src'}{os.pathsep}{tree}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    subprocess.run([sys.executable, "-c", COLLECT_STATIC], env=env, cwd=tree, check=True)
    log = open(args.data_dir / log_name, "w")  # noqa: SIM115 - lives with the server
    server = subprocess.Popen(
        [
            *(sys.executable, "-m", "gunicorn", "config.wsgi:application"),
            *("--chdir", str(tree), "--bind", f"127.0.0.1:{port}", "--workers", "2"),
            *("--threads", "4", "--timeout", "120"),
        ],
        env=env,
        stdout=log,
        stderr=log,
        cwd=tree,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).ok:
                return server
        except requests.RequestException:
            pass
        if server.poll() is not None:
            break
        time.sleep(0.5)
    server.terminate()
    sys.exit(f"The server on {tree} did not start; see {args.data_dir / log_name}")


def measure(servers: dict[str, str], found, args) -> tuple[dict, dict]:
    """Return {(version, name): [ms]} of repeated views and the same of first views."""
    steady: dict[tuple[str, str], list[float]] = defaultdict(list)
    first: dict[tuple[str, str], list[float]] = defaultdict(list)
    for role, email in ROLES.items():
        sessions = {version: pages.sign_in(base, email) for version, base in servers.items()}
        for round_number in range(args.repeat + 1):
            for name, path in found:
                order = list(servers)
                random.shuffle(order)
                for version in order:
                    base, session = servers[version], sessions[version]
                    ms, response = pages.timed(session, "GET", base + path)
                    if response.status_code != 200:
                        sys.exit(f"{version} {role} {path} answered {response.status_code}")
                    (first if round_number == 0 else steady)[(version, name)].append(ms)
            for version, base in servers.items():
                ms, _ = pages.timed(sessions[version], "GET", f"{base}/healthz")
                steady[(version, "baseline /healthz")].append(ms)
        print(f"  {role}: done, load average {os.getloadavg()[0]:.1f}", flush=True)
    return steady, first


def report(steady: dict, first: dict) -> None:
    names = sorted({name for _, name in steady}, key=lambda n: (n.startswith("baseline"), n))
    print(
        "\n| URL name | n | before p50 / p95 ms | after p50 / p95 ms | p95 after/before "
        "| first view before / after (median ms) |"
    )
    print("|---|---|---|---|---|---|")
    for name in names:
        before, after = steady[("before", name)], steady[("after", name)]
        b95, a95 = pages.percentile(before, 0.95), pages.percentile(after, 0.95)
        firsts = [first.get((v, name)) for v in ("before", "after")]
        first_text = (
            " / ".join(f"{statistics.median(f):,.0f}" for f in firsts) if all(firsts) else ""
        )
        print(
            f"| {name} | {len(after)} | {statistics.median(before):,.0f} / {b95:,.0f} "
            f"| {statistics.median(after):,.0f} / {a95:,.0f} | {a95 / b95:.2f} | {first_text} |"
        )


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--before", type=Path, required=True, help="source tree to compare with")
    parser.add_argument("--data-dir", type=Path, required=True, help="where the demo is loaded")
    parser.add_argument("--database-url", default="", help="postgres://... (default SQLite)")
    parser.add_argument("--repeat", type=int, default=5, help="views of each page after the first")
    parser.add_argument("--officials", type=int, default=3, help="officials' pages measured")
    args = parser.parse_args()
    args.data_dir = args.data_dir.resolve()
    args.scale = float(os.environ.get("POWERBASE_DEMO_SCALE") or 1.0)
    os.environ.update(pages.environment(args), DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1")
    import django

    django.setup()
    found = addresses(args.officials)
    ports = {version: pages.free_port() for version in ("before", "after")}
    trees = {"before": args.before.resolve(), "after": ROOT}
    servers = {}
    started = []
    try:
        for version in ("before", "after"):
            started.append(start(trees[version], args, ports[version], f"slow-{version}.log"))
            servers[version] = f"http://127.0.0.1:{ports[version]}"
        print(
            f"== {len(found)} pages, {args.repeat} repeats, roles {', '.join(ROLES)}; "
            f"load average {os.getloadavg()[0]:.1f}",
            flush=True,
        )
        steady, first = measure(servers, found, args)
    finally:
        for server in started:
            server.terminate()
            server.wait(timeout=30)
    report(steady, first)
    print(f"\nload average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()

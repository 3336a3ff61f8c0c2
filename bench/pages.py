"""Benchmark: every page of the demo, as each role, one at a time and as 20 organizers at once.

    .venv/bin/python bench/pages.py                                  # full demo on SQLite
    .venv/bin/python bench/pages.py --scale 0.05 --duration 30       # a quick run (~3 min)
    .venv/bin/python bench/pages.py --database-url postgres://postgres@127.0.0.1:5432/pages_bench

The demo is loaded into --data-dir the first time (`powerbase demo --no-serve`, ~5 min at full
size; --scale shrinks it, as POWERBASE_DEMO_SCALE does) and reused afterwards: keep one data
dir per database and size. The benchmark then starts `powerbase serve` (gunicorn, 2 workers,
DEBUG off) on a free loopback port and talks to it over HTTP only. Three parts:

1. One at a time. Signs in as each demo role (the sign-in is timed), then walks the site from
   the home page by following links, at most --per-url addresses per URL name and --max-pages
   per role, and requests each address found --repeat more times. Prints each URL name's p50
   and p95 over every role and address, and flags any p95 over 300 ms (the goal). URL names of
   `tests/permission_table.txt` no link led to are listed, so a page cannot hide.
2. 20 organizers. --users sessions signed in as the organizer each wait 2-5 s (--pause) between
   pages for --duration seconds: mostly reads of the pages found in part 1, and one page in
   --write-every a write (a whip stance, a note or a tag on a person). Goal: reads' p95 under
   500 ms, writes' under 1 s, no errors.
3. Saturation. --saturate-clients clients without pauses for --saturate seconds: the requests
   per second the machine sustains (client and server share the same cores).

Every part also times /healthz (the cheapest response the server gives) in the same run and
prints each figure's ratio to it: compare ratios between runs, not milliseconds. The people
export is left out: a full export runs as a job (see people/export), not on a page load.
The loops are bounded (pages, seconds) and stop by themselves; nothing leaves 127.0.0.1.
"""

import argparse
import json
import os
import random
import re
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections import defaultdict
from dataclasses import dataclass, field
from html import unescape
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import requests

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT))

POWERBASE = str(ROOT / ".venv" / "bin" / "powerbase")
PASSWORD = "organize-the-base"  # the demo's, printed by `powerbase demo`
ROLES = {  # the demo's logins (demo/load.py DEMO_LOGINS)
    "owner": "owner@nutmeg.example",
    "admin": "admin@nutmeg.example",
    "organizer": "organizer@nutmeg.example",
    "data": "data@nutmeg.example",
    "lead": "lead@nutmeg.example",
    "leader": "leader@nutmeg.example",
    "viewer": "viewer@nutmeg.example",
    "local owner": "owner@elmcity.example",
}
# Not followed: leaving, and the full people export (a job of its own, not a page load).
SKIPPED = {"core:logout", "people:export"}
WRITES = {"legislature:whip_stance", "people:person_note", "people:person_tag"}
READ_GOAL_MS, WRITE_GOAL_MS, SERIAL_GOAL_MS = 500, 1000, 300
HREF = re.compile(r'href="(/[^"#]*)"')
ACTION = re.compile(r'(?:action|hx-post)="(/[^"#]*)"')
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
STANCES = ["yes", "lean_yes", "undecided", "lean_no", "no"]


@dataclass
class Sample:
    name: str
    ms: float
    status: int


@dataclass
class Timings:
    samples: list[Sample] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, name: str, ms: float, status: int) -> None:
        with self.lock:
            self.samples.append(Sample(name, ms, status))

    def by_name(self) -> dict[str, list[Sample]]:
        grouped = defaultdict(list)
        for sample in self.samples:
            grouped[sample.name].append(sample)
        return grouped


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


# Setting up: the demo, the environment, the server ---------------------------------------------


def environment(args) -> dict[str, str]:
    """The server's environment: the demo's data, DEBUG off, plain HTTP on loopback."""
    env = {k: v for k, v in os.environ.items() if k not in {"DJANGO_SETTINGS_MODULE", "DEBUG"}}
    env["POWERBASE_DATA_DIR"] = str(args.data_dir)
    env["POWERBASE_DEMO_SCALE"] = str(args.scale)
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    return env


def load_demo(args) -> None:
    """Load the demo into the data dir unless it is there (the command skips a loaded demo)."""
    if args.database_url and args.database_url.startswith("postgres"):
        create_database(args.database_url)
    started = time.perf_counter()
    subprocess.run(
        [POWERBASE, "demo", "--no-serve"], env=environment(args), check=True, timeout=3600
    )
    print(f"demo ready in {time.perf_counter() - started:.0f} s ({args.data_dir})")


def create_database(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as con:
        if not con.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            con.execute(f'CREATE DATABASE "{name}"')


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(args, port: int) -> subprocess.Popen:
    env = environment(args)
    # The demo keeps its secret key in the data dir; the notes at rest are encrypted with it.
    env |= {
        "DEBUG": "0",
        "POWERBASE_HTTPS": "0",
        "SECRET_KEY": (args.data_dir / "dev-secret-key").read_text().strip(),
    }
    log = open(args.data_dir / "bench-serve.log", "w")  # noqa: SIM115 - lives with the server
    server = subprocess.Popen(
        [POWERBASE, "serve", "--port", str(port), "--workers", str(args.workers)],
        env=env,
        stdout=log,
        stderr=log,
    )
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=10).ok:
                return server
        except requests.RequestException:  # not listening yet, or still starting its workers
            pass
        if server.poll() is not None:
            break
        time.sleep(0.5)
    server.terminate()
    sys.exit(f"The server did not start; see {args.data_dir / 'bench-serve.log'}")


# Talking to it ----------------------------------------------------------------------------------


def url_name(path: str) -> str | None:
    from django.urls import Resolver404, resolve

    try:
        match = resolve(urlsplit(path).path)
    except Resolver404:
        return None
    return match.view_name


def timed(session: requests.Session, method: str, url: str, **kwargs) -> tuple[float, object]:
    """Time one request. gunicorn closes a kept-alive connection idle for 2 s, as a browser
    expects: a request that finds its pooled connection closed is sent again on a new one (as
    a browser does), and the time counts both tries."""
    started = time.perf_counter()
    try:
        response = session.request(method, url, allow_redirects=False, timeout=60, **kwargs)
    except requests.ConnectionError:
        RETRIED.append(url)
        response = session.request(method, url, allow_redirects=False, timeout=60, **kwargs)
    return (time.perf_counter() - started) * 1000, response


RETRIED: list[str] = []  # requests sent again after the server closed an idle connection


def sign_in(base: str, email: str, timings: Timings | None = None) -> requests.Session:
    session = requests.Session()
    page = session.get(f"{base}/login/", timeout=60)
    token = CSRF.search(page.text).group(1)
    ms, response = timed(
        session,
        "POST",
        f"{base}/login/",
        data={"username": email, "password": PASSWORD, "csrfmiddlewaretoken": token},
    )
    if response.status_code != 302:
        sys.exit(f"Signing in as {email} answered {response.status_code}; is the demo loaded?")
    if timings is not None:
        timings.add("core:login (POST)", ms, response.status_code)
    return session


def csrf_token(session: requests.Session) -> str:
    return session.cookies.get("csrftoken", "")


def baseline(base: str, session: requests.Session, timings: Timings, count: int) -> None:
    for _ in range(count):
        ms, response = timed(session, "GET", f"{base}/healthz")
        timings.add("baseline /healthz", ms, response.status_code)


# Part 1: one at a time --------------------------------------------------------------------------


@dataclass
class Site:
    """What the walk found: readable addresses per role, and write forms per URL name."""

    pages: dict[str, list[tuple[str, str]]] = field(default_factory=dict)
    writes: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


def walk(
    base: str, session: requests.Session, role: str, args, timings: Timings, site: Site
) -> None:
    """Follow links from the home page, timing each first visit."""
    queue, seen, per_name = ["/"], {"/"}, defaultdict(int)
    found: list[tuple[str, str]] = []
    while queue and len(found) < args.max_pages:
        path = queue.pop(0)
        ms, response = timed(session, "GET", base + path)
        if response.status_code in (301, 302):
            target = urlsplit(urljoin(base + path, response.headers["Location"]))
            target_path = target.path + (f"?{target.query}" if target.query else "")
            if target_path not in seen and url_name(target_path) not in SKIPPED:
                seen.add(target_path)
                queue.insert(0, target_path)
            continue
        name = url_name(path) or path
        timings.add(name, ms, response.status_code)
        found.append((name, path))
        if "html" not in response.headers.get("Content-Type", ""):
            continue
        for action in ACTION.findall(response.text):
            action = unescape(action)
            if (action_name := url_name(action)) in WRITES:
                site.writes[action_name].add(action)
        for link in HREF.findall(response.text):
            link = unescape(link)
            if link.startswith(("/static/", "//")) or link in seen:
                continue
            name = url_name(link)
            if name is None or name in SKIPPED or per_name[name] >= args.per_url:
                continue
            per_name[name] += 1
            seen.add(link)
            queue.append(link)
    site.pages[role] = found


def one_at_a_time(base: str, args) -> tuple[Timings, Site]:
    timings, site = Timings(), Site()
    for role, email in ROLES.items():
        if args.roles and role not in args.roles:
            continue
        session = sign_in(base, email, timings)
        baseline(base, session, timings, 5)
        started = time.perf_counter()
        walk(base, session, role, args, timings, site)
        for _ in range(args.repeat):
            for name, path in site.pages[role]:
                ms, response = timed(session, "GET", base + path)
                timings.add(name, ms, response.status_code)
        print(
            f"  {role:<12} {len(site.pages[role]):>4} pages, "
            f"{time.perf_counter() - started:6.1f} s",
            flush=True,
        )
    return timings, site


def print_table(title: str, timings: Timings, goal_ms: float) -> list[str]:
    grouped = timings.by_name()
    base_p50 = statistics.median(s.ms for s in grouped.pop("baseline /healthz"))
    print(f"\n{title}\nbaseline /healthz p50 {base_p50:.1f} ms")
    print(
        f"{'URL name':<40}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'max ms':>9}{'p95/base':>10}  statuses"
    )
    slow = []
    for name, samples in sorted(
        grouped.items(), key=lambda item: -percentile([s.ms for s in item[1]], 0.95)
    ):
        values = [s.ms for s in samples]
        p95 = percentile(values, 0.95)
        statuses = ",".join(sorted({str(s.status) for s in samples}))
        flag = "  SLOW" if p95 > goal_ms else ""
        print(
            f"{name:<40}{len(values):>5}{statistics.median(values):>9.0f}{p95:>9.0f}"
            f"{max(values):>9.0f}{p95 / base_p50:>9.0f}x  {statuses}{flag}"
        )
        if p95 > goal_ms:
            slow.append(name)
    return slow


def unreached(site: Site) -> list[str]:
    from tests.url_access import read_table

    reached = {name for pages in site.pages.values() for name, _ in pages}
    return sorted(
        name
        for name, row in read_table().items()
        if row.method == "get" and name not in reached and name not in SKIPPED
    )


# Part 2: organizers at work ---------------------------------------------------------------------


def write(session: requests.Session, base: str, name: str, url: str) -> tuple[float, object]:
    headers = {"X-CSRFToken": csrf_token(session)}
    if name == "legislature:whip_stance":
        headers["HX-Request"] = "true"  # as the whip board sends it
        data = {"stance": random.choice(STANCES), "source": "bench: a call"}
    elif name == "people:person_note":
        data = {"body": "bench: called about the next action"}
    else:
        data = {"name": "bench"}
    return timed(session, "POST", base + url, data=data, headers=headers)


def organizer_day(
    base: str,
    site: Site,
    args,
    reads: Timings,
    writes: Timings,
    errors: list[str],
    deadline: float,
    seed: int,
) -> None:
    rng = random.Random(seed)
    session = sign_in(base, ROLES["organizer"], writes)
    pages = site.pages["organizer"]
    forms = [(name, url) for name, urls in site.writes.items() for url in sorted(urls)]
    for step in range(args.max_steps):
        time.sleep(rng.uniform(*args.pause))
        if time.monotonic() > deadline:
            return
        try:
            if forms and step % args.write_every == args.write_every - 1:
                name, url = rng.choice(forms)
                ms, response = write(session, base, name, url)
                writes.add(name, ms, response.status_code)
            else:
                name, path = rng.choice(pages)
                ms, response = timed(session, "GET", base + path)
                reads.add(name, ms, response.status_code)
            if response.status_code >= 400:
                errors.append(f"{name} {response.status_code}")
        except requests.RequestException as problem:
            errors.append(f"{name} {problem}")


def organizers(base: str, site: Site, args) -> dict:
    reads, writes, errors = Timings(), Timings(), []
    baseline(base, requests.Session(), reads, 20)
    deadline = time.monotonic() + args.duration
    started = time.perf_counter()
    threads = [
        threading.Thread(
            target=organizer_day,
            daemon=True,
            args=(base, site, args, reads, writes, errors, deadline, n),
        )
        for n in range(args.users)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + 120)
    elapsed = time.perf_counter() - started
    base_p50 = statistics.median(s.ms for s in reads.samples if s.name.startswith("baseline"))
    read_ms = [s.ms for s in reads.samples if not s.name.startswith("baseline")]
    write_ms = [s.ms for s in writes.samples]
    summary = {
        "users": args.users,
        "seconds": round(elapsed, 1),
        "reads": len(read_ms),
        "writes": len(write_ms),
        "errors": len(errors),
        "read_p50": statistics.median(read_ms),
        "read_p95": percentile(read_ms, 0.95),
        "write_p50": statistics.median(write_ms),
        "write_p95": percentile(write_ms, 0.95),
        "requests_per_second": round((len(read_ms) + len(write_ms)) / elapsed, 1),
        "baseline_p50": base_p50,
    }
    print(
        f"\n{args.users} organizers for {elapsed:.0f} s, pausing "
        f"{args.pause[0]}-{args.pause[1]} s: {len(read_ms)} reads, {len(write_ms)} writes "
        f"(sign-ins included), "
        f"{len(errors)} errors, {summary['requests_per_second']} requests/s"
    )
    print(
        f"  reads   p50 {summary['read_p50']:7.0f} ms  p95 {summary['read_p95']:7.0f} ms  "
        f"p95/base {summary['read_p95'] / base_p50:6.0f}x  goal < {READ_GOAL_MS} ms"
    )
    print(
        f"  writes  p50 {summary['write_p50']:7.0f} ms  p95 {summary['write_p95']:7.0f} ms  "
        f"p95/base {summary['write_p95'] / base_p50:6.0f}x  goal < {WRITE_GOAL_MS} ms"
    )
    for name, samples in sorted(writes.by_name().items()):
        values = [s.ms for s in samples]
        print(
            f"    {name:<36} n {len(values):>4}  p50 {statistics.median(values):6.0f} ms  "
            f"p95 {percentile(values, 0.95):6.0f} ms"
        )
    if errors:
        print("  errors:", ", ".join(sorted(set(errors))[:20]))
    print(f"  sent again on a new connection after an idle one was closed: {len(RETRIED)}")
    slowest = sorted(
        reads.by_name().items(), key=lambda item: -percentile([s.ms for s in item[1]], 0.95)
    )[:8]
    print(
        "  slowest reads (p95):",
        ", ".join(
            f"{name} {percentile([s.ms for s in samples], 0.95):.0f} ms"
            for name, samples in slowest
        ),
    )
    return summary


# Part 3: how many requests per second the machine sustains ---------------------------------------


def saturate(base: str, site: Site, args) -> float:
    sessions = [sign_in(base, ROLES["organizer"]) for _ in range(args.saturate_clients)]
    pages = site.pages["organizer"]
    deadline = time.monotonic() + args.saturate
    counts = [0] * len(sessions)

    def hammer(n: int) -> None:
        rng = random.Random(n)
        while time.monotonic() < deadline:
            _, path = rng.choice(pages)
            sessions[n].get(base + path, allow_redirects=False, timeout=60)
            counts[n] += 1

    started = time.perf_counter()
    threads = [
        threading.Thread(target=hammer, args=(n,), daemon=True) for n in range(len(sessions))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.saturate + 120)
    rate = sum(counts) / (time.perf_counter() - started)
    print(
        f"\nsaturation: {args.saturate_clients} clients without pauses for {args.saturate} s: "
        f"{rate:.1f} requests/s over the organizer's pages (load average "
        f"{os.getloadavg()[0]:.1f})"
    )
    return rate


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))  # so the server is stopped too
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        help="where the demo lives (default var/bench-sqlite or var/bench-pg, "
        "with the scale in the name when not 1)",
    )
    parser.add_argument("--database-url", default="", help="postgres://... (default SQLite)")
    parser.add_argument(
        "--scale",
        type=float,
        default=1.0,
        help="demo size, 1.0 = ~49,000 people and 500,000 voters",
    )
    parser.add_argument("--roles", nargs="*", default=[], help=f"only these of {list(ROLES)}")
    parser.add_argument("--per-url", type=int, default=2, help="addresses per URL name per role")
    parser.add_argument("--max-pages", type=int, default=250, help="pages per role at most")
    parser.add_argument(
        "--repeat", type=int, default=3, help="requests per address after the first"
    )
    parser.add_argument("--users", type=int, default=20, help="simulated organizers")
    parser.add_argument("--pause", type=float, nargs=2, default=(2.0, 5.0), metavar=("MIN", "MAX"))
    parser.add_argument("--duration", type=float, default=180, help="seconds of part 2")
    parser.add_argument("--max-steps", type=int, default=200, help="pages per organizer at most")
    parser.add_argument("--write-every", type=int, default=6, help="one page in N is a write")
    parser.add_argument("--saturate", type=float, default=30, help="seconds of part 3 (0: skip)")
    parser.add_argument("--saturate-clients", type=int, default=8)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument(
        "--skip-serial",
        action="store_true",
        help="walk each role once without repeats, then go to part 2",
    )
    args = parser.parse_args()
    kind = "pg" if args.database_url.startswith("postgres") else "sqlite"
    if args.data_dir is None:
        suffix = "" if args.scale == 1.0 else f"-{args.scale:g}"
        args.data_dir = ROOT / "var" / f"bench-{kind}{suffix}"
    args.data_dir = args.data_dir.resolve()
    args.data_dir.mkdir(parents=True, exist_ok=True)
    if args.skip_serial:
        args.repeat = 0

    load_demo(args)
    os.environ.update(environment(args), DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1")
    import django

    django.setup()  # to name each address by its URL pattern, as the permission table does
    port = free_port()
    server = start_server(args, port)
    base = f"http://127.0.0.1:{port}"
    results: dict = {"database": kind, "scale": args.scale}
    try:
        print(
            f"\n== {kind}, demo scale {args.scale:g}, {args.workers} gunicorn workers, "
            f"load average {os.getloadavg()[0]:.1f}"
        )
        timings, site = one_at_a_time(base, args)
        slow = print_table(
            "One at a time (every role; first visit and repeats):", timings, SERIAL_GOAL_MS
        )
        print(f"\nURL names over {SERIAL_GOAL_MS} ms at p95: {slow or 'none'}")
        missing = unreached(site)
        print(
            f"GET URL names of the permission table no link led to ({len(missing)}): "
            f"{', '.join(missing)}"
        )
        results["serial"] = {
            name: [round(s.ms, 1) for s in samples] for name, samples in timings.by_name().items()
        }
        results["organizers"] = organizers(base, site, args)
        if args.saturate:
            results["saturation_rps"] = saturate(base, site, args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    out = ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / f"pages-{kind}.json").write_text(json.dumps(results, indent=1))


if __name__ == "__main__":
    main()

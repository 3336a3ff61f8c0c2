"""Benchmark: a day of action. Organizers at their desks and canvassers on phones at once,
against `powerbase serve` (gunicorn) on PostgreSQL, for 1, 2 and 4 serve workers.

    .venv/bin/python bench/load.py                                    # demo at scale 0.1
    .venv/bin/python bench/load.py --workers 1,2,4 --duration 120 --scale 0.1 \\
        --database-url postgres://postgres@127.0.0.1:5432/load_bench
    .venv/bin/python bench/load.py --organizers 5 --canvassers 20 --duration 20 --workers 2

The demo is loaded into --data-dir the first time (as bench/pages.py does, whose sign-in,
site walk, server start and organizer writes this script reuses) and kept. Then, for each
worker count in --workers, a fresh `powerbase serve --workers N` on a free loopback port, and:

- --organizers simulated organizers (50), signed in as the demo's organizer before the clock
  starts, each opening a page every 2-5 s (--pause): the pages a walk of the site as the
  organizer found, and one request in --write-every a write (a whip stance, a note or a tag on
  a person), as bench/pages.py's organizers do.
- --canvassers volunteers on phones (200), each with a volunteer's link to one of the demo's
  turfs (made once through the turf page's "make a link" form, several volunteers a turf).
  Each opens the link's door list, then records a door result every 30-60 s (--door-pause)
  through the door form, as the phone's htmx sends it (HX-Request, a fresh client_key).

Each run lasts --duration seconds (120). It prints, per worker count, p50 and p95 of reads
(organizer pages and the canvassers' door lists) and of writes (organizer writes and door
results), door results on their own, errors, requests per second, and each p95's ratio to
/healthz's p50 timed in the same run (the cheapest answer the server gives): these shared
2-core machines vary by 2x between runs, so compare ratios. Goals: reads' p95 under 500 ms,
writes' under 1 s, no errors. The client's 250 threads run on the same cores as the server
and PostgreSQL. Results also go to bench/out/load.json. Nothing leaves 127.0.0.1.
"""

import argparse
import json
import os
import random
import re
import signal
import statistics
import sys
import threading
import time
import uuid
from dataclasses import dataclass
from html import unescape
from pathlib import Path

import requests

sys.path.insert(0, str(Path(__file__).resolve().parent))

import pages  # noqa: E402 - bench/pages.py, beside this script

ORG = "nutmeg"  # the demo's state organization, where the organizer login works
TURF = re.compile(rf'href="(/o/{ORG}/field/turfs/(\d+)/)"')
UNIVERSE = re.compile(rf'href="(/o/{ORG}/field/universes/\d+/)"')
VOLUNTEER_URL = re.compile(r'value="https?://[^/"]+(/canvass/[^"]+/)"')
DOOR_FORM = re.compile(r'hx-post="(/canvass/[^"]+/doors/\d+/)"')
FORM_ERROR = 'class="error" role="alert"'
DEFAULT_DB = "postgres://postgres@127.0.0.1:5432/load_bench"


@dataclass
class Run:
    """One worker count's samples: reads and writes by kind, and errors."""

    reads: pages.Timings
    writes: pages.Timings
    errors: list[str]


# Setting up: the organizer's pages and the volunteers' links ------------------------------------


def organizer_site(base: str, args) -> pages.Site:
    """The organizer's pages and write forms, found by following links (bench/pages.py)."""
    site, walked = pages.Site(), pages.Timings()
    session = pages.sign_in(base, pages.ROLES["organizer"])
    walk_args = argparse.Namespace(max_pages=args.max_pages, per_url=1)
    pages.walk(base, session, "organizer", walk_args, walked, site)
    # A link the organizer is shown but may not follow is a finding of the walk, not of the
    # load: it is named here and left out of the organizers' pages.
    refused = {s.name for s in walked.samples if s.status >= 400}
    site.pages["organizer"] = [(n, p) for n, p in site.pages["organizer"] if n not in refused]
    if refused:
        print(f"  left out, refused to the organizer during the walk: {', '.join(sorted(refused))}")
    if not site.pages["organizer"]:
        sys.exit("The organizer's walk found no page; is the demo loaded?")
    print(f"  {len(site.pages['organizer'])} organizer pages found", flush=True)
    return site


def demo_turfs(base: str, session: requests.Session) -> list[str]:
    """The addresses of the demo's turfs: the field overview's universes, then their turfs."""
    overview = session.get(f"{base}/o/{ORG}/field/", timeout=60).text
    turfs: dict[str, None] = {}
    for universe in dict.fromkeys(UNIVERSE.findall(overview)):
        page = session.get(base + universe, timeout=60).text
        turfs.update(dict.fromkeys(path for path, _ in TURF.findall(page)))
    return list(turfs)


def volunteer_links(base: str, count: int) -> list[str]:
    """*count* volunteers' links, spread over the demo's turfs, made through the turf page's
    form as an organizer makes them (the token is shown once, in the page that answers)."""
    session = pages.sign_in(base, pages.ROLES["organizer"])
    turfs = demo_turfs(base, session)
    if not turfs:
        sys.exit("The demo has no turf to canvass (field overview showed none).")
    links = []
    for n in range(count):
        turf = turfs[n % len(turfs)]
        answer = session.post(
            f"{base}{turf}links/",
            data={"label": f"bench volunteer {n + 1}", "days": 7},
            headers={"X-CSRFToken": pages.csrf_token(session)},
            timeout=60,
            allow_redirects=False,
        )
        found = VOLUNTEER_URL.search(answer.text)
        if answer.status_code != 200 or not found:
            sys.exit(f"Making a volunteer's link on {turf} answered {answer.status_code}.")
        links.append(unescape(found.group(1)))
    print(f"  {count} volunteers' links over {len(turfs)} turfs", flush=True)
    return links


# The people at work ------------------------------------------------------------------------------


def organizer_at_desk(base, session, site, args, run: Run, deadline: float, seed: int) -> None:
    """A page every --pause seconds; one in --write-every a write (bench/pages.py's mix)."""
    rng = random.Random(seed)
    organizer_pages = site.pages["organizer"]
    forms = [(name, url) for name, urls in site.writes.items() for url in sorted(urls)]
    step = 0
    while True:
        time.sleep(rng.uniform(*args.pause))
        if time.monotonic() > deadline:
            return
        step += 1
        try:
            if forms and step % args.write_every == 0:
                name, url = rng.choice(forms)
                ms, answer = pages.write(session, base, name, url)
                run.writes.add(name, ms, answer.status_code)
            else:
                name, path = rng.choice(organizer_pages)
                ms, answer = pages.timed(session, "GET", base + path)
                run.reads.add(name, ms, answer.status_code)
            if answer.status_code >= 400:
                run.errors.append(f"{name} {answer.status_code}")
        except requests.RequestException as problem:
            run.errors.append(f"{name} {problem}")


def door_result(rng: random.Random) -> dict[str, str]:
    """What a canvasser taps: mostly not home, sometimes a talk with a support score."""
    result = rng.choices(["not_home", "talked", "refused", "moved"], [55, 35, 8, 2])[0]
    data = {"result": result, "client_key": uuid.uuid4().hex}
    if result == "talked" and rng.random() < 0.8:
        data["support"] = str(rng.randint(1, 5))
    return data


def canvasser_on_phone(base: str, link: str, args, run: Run, deadline: float, seed: int) -> None:
    """Open the link's door list, then a door result every --door-pause seconds."""
    rng = random.Random(seed)
    session = requests.Session()
    session.headers["User-Agent"] = "Mozilla/5.0 (Linux; Android 14) bench canvasser"
    time.sleep(rng.uniform(0, args.door_pause[0]))  # volunteers do not all start at once
    try:
        ms, answer = pages.timed(session, "GET", base + link)
        run.reads.add("field:volunteer", ms, answer.status_code)
        doors = [unescape(url) for url in DOOR_FORM.findall(answer.text)]
        if answer.status_code != 200 or not doors:
            run.errors.append(f"field:volunteer {answer.status_code} with {len(doors)} doors")
            return
    except requests.RequestException as problem:
        run.errors.append(f"field:volunteer {problem}")
        return
    rng.shuffle(doors)
    for door in doors * 10:
        time.sleep(rng.uniform(*args.door_pause))
        if time.monotonic() > deadline:
            return
        headers = {"X-CSRFToken": pages.csrf_token(session), "HX-Request": "true"}
        try:
            ms, answer = pages.timed(
                session, "POST", base + door, data=door_result(rng), headers=headers
            )
            run.writes.add("field:volunteer_door", ms, answer.status_code)
            if answer.status_code != 200 or FORM_ERROR in answer.text:
                run.errors.append(f"field:volunteer_door {answer.status_code}")
        except requests.RequestException as problem:
            run.errors.append(f"field:volunteer_door {problem}")


def day_of_action(base: str, site: pages.Site, links: list[str], args) -> Run:
    run = Run(pages.Timings(), pages.Timings(), [])
    pages.baseline(base, requests.Session(), run.reads, 20)
    started = time.perf_counter()
    sessions = [pages.sign_in(base, pages.ROLES["organizer"]) for _ in range(args.organizers)]
    print(
        f"  {args.organizers} organizers signed in in {time.perf_counter() - started:.1f} s",
        flush=True,
    )
    deadline = time.monotonic() + args.duration
    threads = [
        threading.Thread(
            target=organizer_at_desk,
            args=(base, session, site, args, run, deadline, n),
            daemon=True,
        )
        for n, session in enumerate(sessions)
    ] + [
        threading.Thread(
            target=canvasser_on_phone,
            args=(base, links[n % len(links)], args, run, deadline, 1000 + n),
            daemon=True,
        )
        for n in range(args.canvassers)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=args.duration + 180)
    return run


# Reporting ---------------------------------------------------------------------------------------


def spread(values: list[float]) -> dict[str, float]:
    if not values:
        return {"n": 0, "p50": 0.0, "p95": 0.0}
    return {
        "n": len(values),
        "p50": round(statistics.median(values), 1),
        "p95": round(pages.percentile(values, 0.95), 1),
    }


def summary(run: Run, workers: int, seconds: float, load: tuple[float, float]) -> dict:
    base_p50 = statistics.median(s.ms for s in run.reads.samples if s.name.startswith("baseline"))
    reads = [s.ms for s in run.reads.samples if not s.name.startswith("baseline")]
    writes = [s.ms for s in run.writes.samples]
    doors = [s.ms for s in run.writes.samples if s.name == "field:volunteer_door"]
    return {
        "workers": workers,
        "seconds": round(seconds, 1),
        "load_average": load,
        "baseline_p50": round(base_p50, 1),
        "reads": spread(reads),
        "writes": spread(writes),
        "door_results": spread(doors),
        "errors": len(run.errors),
        "error_kinds": sorted(set(run.errors))[:20],
        "requests_per_second": round((len(reads) + len(writes)) / seconds, 1),
        "slowest_reads_p95": {
            name: round(pages.percentile([s.ms for s in samples], 0.95))
            for name, samples in sorted(
                ((n, v) for n, v in run.reads.by_name().items() if not n.startswith("baseline")),
                key=lambda item: -pages.percentile([s.ms for s in item[1]], 0.95),
            )[:8]
        },
    }


def report(result: dict, args) -> None:
    base = result["baseline_p50"]
    print(
        f"\n{result['workers']} serve worker(s), {args.organizers} organizers + "
        f"{args.canvassers} canvassers for {result['seconds']:.0f} s, load average "
        f"{result['load_average'][0]:.1f} before / {result['load_average'][1]:.1f} after; "
        f"/healthz p50 {base:.1f} ms"
    )
    for label, key, goal in (
        ("reads", "reads", pages.READ_GOAL_MS),
        ("writes", "writes", pages.WRITE_GOAL_MS),
        ("  door results", "door_results", pages.WRITE_GOAL_MS),
    ):
        figures = result[key]
        verdict = "ok" if figures["p95"] < goal else "OVER"
        print(
            f"  {label:<15} n {figures['n']:>5}  p50 {figures['p50']:7.0f} ms  "
            f"p95 {figures['p95']:7.0f} ms  p95/base {figures['p95'] / base:6.0f}x  "
            f"goal < {goal} ms {verdict}"
        )
    print(
        "  slowest reads (p95): "
        + ", ".join(f"{name} {ms} ms" for name, ms in result["slowest_reads_p95"].items())
    )
    print(
        f"  {result['requests_per_second']} requests/s, {result['errors']} errors; the client "
        f"itself used {result['client_cpu_seconds']} CPU s of the {result['seconds']:.0f} s",
        flush=True,
    )
    if result["errors"]:
        print("  errors:", ", ".join(result["error_kinds"]))


def main() -> None:
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))  # so the server is stopped too
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--database-url", default=DEFAULT_DB, help="postgres://...")
    parser.add_argument("--data-dir", type=Path, default=None, help="default var/bench-load-SCALE")
    parser.add_argument(
        "--scale", type=float, default=0.1, help="demo size, 1.0 = ~49,000 people (default 0.1)"
    )
    parser.add_argument("--workers", default="1,2,4", help="serve worker counts, one run each")
    parser.add_argument("--duration", type=float, default=120, help="seconds per run")
    parser.add_argument("--organizers", type=int, default=50)
    parser.add_argument("--canvassers", type=int, default=200)
    parser.add_argument("--links", type=int, default=100, help="volunteers' links to make")
    parser.add_argument("--pause", type=float, nargs=2, default=(2.0, 5.0), metavar=("MIN", "MAX"))
    parser.add_argument(
        "--door-pause", type=float, nargs=2, default=(30.0, 60.0), metavar=("MIN", "MAX")
    )
    parser.add_argument("--write-every", type=int, default=6, help="one organizer page in N")
    parser.add_argument("--max-pages", type=int, default=120, help="organizer pages to find")
    args = parser.parse_args()
    if not args.database_url.startswith("postgres"):
        sys.exit("The load benchmark runs on PostgreSQL: give --database-url postgres://...")
    counts = [int(n) for n in args.workers.split(",")]
    if args.data_dir is None:
        args.data_dir = pages.ROOT / "var" / f"bench-load-pg-{args.scale:g}"
    args.data_dir = args.data_dir.resolve()
    args.data_dir.mkdir(parents=True, exist_ok=True)

    pages.load_demo(args)
    os.environ.update(pages.environment(args), DJANGO_SETTINGS_MODULE="config.settings", DEBUG="1")
    import django

    django.setup()  # pages.walk names each address by its URL pattern
    results = []
    links: list[str] = []
    site = None
    for workers in counts:
        args.workers = workers
        port = pages.free_port()
        server = pages.start_server(args, port)
        base = f"http://127.0.0.1:{port}"
        try:
            print(f"\n== {workers} serve worker(s) on port {port}", flush=True)
            site = site or organizer_site(base, args)
            links = links or volunteer_links(base, min(args.links, args.canvassers))
            before, cpu = os.getloadavg()[0], time.process_time()
            started = time.perf_counter()
            run = day_of_action(base, site, links, args)
            elapsed = time.perf_counter() - started
            result = summary(run, workers, elapsed, (before, os.getloadavg()[0]))
            result["client_cpu_seconds"] = round(time.process_time() - cpu, 1)
        finally:
            server.terminate()
            server.wait(timeout=30)
        report(result, args)
        results.append(result)
    if len(results) > 1:
        first = results[0]
        print("\nratio to the first worker count (p95 reads / writes, requests/s):")
        for result in results:
            print(
                f"  {result['workers']} worker(s): "
                f"{result['reads']['p95'] / first['reads']['p95']:.2f} / "
                f"{result['writes']['p95'] / first['writes']['p95']:.2f}, "
                f"{result['requests_per_second'] / first['requests_per_second']:.2f}"
            )
    out = pages.ROOT / "bench" / "out"
    out.mkdir(exist_ok=True)
    (out / "load.json").write_text(json.dumps({"scale": args.scale, "runs": results}, indent=1))


if __name__ == "__main__":
    main()

"""`powerbase demo` (what `make demo` runs): first run loads, second run reuses, both serve.

Runs the real command in a subprocess on a throwaway data directory with the embedded
SQLite database, as a newcomer would, and signs in over HTTP.
"""

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from tests.deploy.processes import descendants, end_all, port_is_free, wait_until_gone

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_demo(data_dir: Path, port: int) -> subprocess.Popen:
    env = {
        k: v
        for k, v in os.environ.items()
        if k
        not in {
            "DJANGO_SETTINGS_MODULE",
            "SECRET_KEY",
            "POWERBASE_HTTPS",
            "DATABASE_URL",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env["POWERBASE_DATA_DIR"] = str(data_dir)
    env["POWERBASE_DEMO_SCALE"] = "0.01"  # the full demo takes a minute to import
    return subprocess.Popen(
        [sys.executable, "-m", "powerbase", "demo", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )


def wait_for_banner(process: subprocess.Popen, timeout: float = 120) -> tuple[str, float]:
    started = time.monotonic()
    said = wait_for_line(process, "powerbase is running at", timeout)
    return said, time.monotonic() - started


def wait_for_line(process: subprocess.Popen, wanted: str, timeout: float) -> str:
    """Read the demo's output up to the line holding *wanted*; return what was read."""
    started, lines = time.monotonic(), []
    while time.monotonic() - started < timeout:
        line = process.stdout.readline()
        if not line and process.poll() is not None:
            break
        lines.append(line)
        if wanted in line:
            return "".join(lines)
    process.kill()
    pytest.fail(f"The demo never said {wanted!r}:\n" + "".join(lines))


def stop(process: subprocess.Popen) -> None:
    os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        pytest.fail("The demo did not stop on Ctrl-C.")


def sign_in(base: str, email: str, password: str) -> str:
    return signed_in(base, email, password)[0]


def signed_in(base: str, email: str, password: str):
    """Sign in; return the page it leads to and an opener that keeps the session."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    form = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": email, "password": password}
    ).encode()
    request = urllib.request.Request(
        f"{base}/login/", data=data, headers={"Referer": f"{base}/login/"}
    )
    return opener.open(request).read().decode(), opener


@pytest.mark.slow
def test_make_demo_serves_the_login_page_and_the_printed_logins_work(tmp_path):
    port = free_port()
    first = start_demo(tmp_path, port)
    try:
        # While the first run loads, the web server already answers, saying how far it got.
        said = wait_for_line(first, "shows how far it got", timeout=600)
        assert f"http://127.0.0.1:{port}/" in said
        login = urllib.request.urlopen(f"http://127.0.0.1:{port}/login/").read().decode()
        assert re.search(r"Loading the demo( \(\d+%\))?:", login), login
        # The first run migrates a fresh database: minutes on a loaded 2-core machine.
        banner, _ = wait_for_banner(first, timeout=600)
        assert "owner@nutmeg.example" in banner and "affiliate_lead" in banner
        password = re.search(r"Password for every demo login: (\S+)", banner).group(1)
        dashboard = sign_in(f"http://127.0.0.1:{port}", "owner@nutmeg.example", password)
        assert "<h1>Nutmeg For All</h1>" in dashboard
    finally:
        stop(first)

    second = start_demo(tmp_path, port)
    children: set[int] = set()
    try:
        # The second run reuses the loaded data. How fast it starts is a benchmark's question
        # (a loaded CI machine took 34 s), not this test's: it must not load the demo again.
        banner, _ = wait_for_banner(second)
        assert "Loading the demo" not in banner

        # SIGTERM to the demo alone, as systemd or `kill` sends it: it stops its children too.
        children = descendants(second.pid)
        assert len(children) >= 3, "the worker, gunicorn and its workers should be running"
        second.send_signal(signal.SIGTERM)
        second.wait(timeout=30)
        assert wait_until_gone(children) == set()
        assert port_is_free(port)
    finally:
        end_all(children)
        if second.poll() is None:
            stop(second)

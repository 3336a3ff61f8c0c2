"""`powerbase serve` stops on SIGTERM (systemd's and docker's way) with its gunicorn workers,
and gives the port back. `powerbase demo` is checked the same way in tests/test_demo_command.py.
"""

import signal
import socket
import subprocess
import sys
import time
import urllib.request

from tests.deploy.processes import (
    ROOT,
    clean_env,
    descendants,
    end_all,
    port_is_free,
    wait_until_gone,
)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_until_answering(url: str, process: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, process.stdout.read()
        try:
            with urllib.request.urlopen(url, timeout=2):  # noqa: S310 - our own localhost
                return
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer within {timeout} s")


def test_serve_stops_on_sigterm_with_its_workers_and_frees_the_port(tmp_path):
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "powerbase", "serve", "--port", str(port), "--workers", "2"],
        cwd=ROOT,
        env=clean_env(tmp_path / "var", DEBUG="1"),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    children: set[int] = set()
    try:
        wait_until_answering(f"http://127.0.0.1:{port}/healthz", server)
        children = descendants(server.pid)
        assert len(children) >= 2, "gunicorn should have started its two workers"

        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

        assert wait_until_gone(children) == set()
        assert port_is_free(port)
    finally:
        end_all(children | {server.pid})

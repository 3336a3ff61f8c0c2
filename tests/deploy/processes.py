"""Running `powerbase` as an operator would: a clean environment, its processes, its port."""

import contextlib
import os
import signal
import socket
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """What any shell has (PATH, HOME, LANG), the data dir, and *extra*: none of this test
    run's own settings (DJANGO_SETTINGS_MODULE, SECRET_KEY, DATABASE_URL...)."""
    env = {k: v for k, v in os.environ.items() if k in {"PATH", "HOME", "LANG", "PYTHONPATH"}}
    env.update(POWERBASE_DATA_DIR=str(data_dir), COLUMNS="200", **extra)
    return env


def descendants(pid: int) -> set[int]:
    """Every living process below *pid* (children, grandchildren...), read from /proc."""
    parents: dict[int, list[int]] = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue  # ended while we looked
        parents.setdefault(int(fields[1]), []).append(int(stat.parent.name))
    found, todo = set(), [pid]
    while todo:
        for child in parents.get(todo.pop(), []):
            found.add(child)
            todo.append(child)
    return found


def alive(pid: int) -> bool:
    """True while *pid* runs (a zombie, ended but not yet reaped, counts as ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def port_is_free(port: int) -> bool:
    with socket.socket() as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            return False
        return True


def wait_until_gone(pids: set[int], timeout: float = 20) -> set[int]:
    """Wait for every pid in *pids* to end; return those still running after *timeout*."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and any(alive(pid) for pid in pids):
        time.sleep(0.2)
    return {pid for pid in pids if alive(pid)}


def end_all(pids: set[int]) -> None:
    """SIGKILL whatever a failed test left running, so it holds no port for the next one."""
    for pid in pids:
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)

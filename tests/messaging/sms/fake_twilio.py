"""A local HTTP server that answers like Twilio's Messages API: no test text leaves the machine.

It speaks the documented request and answers: POST
/2010-04-01/Accounts/{AccountSid}/Messages.json, form-encoded To/From/Body/StatusCallback,
HTTP basic auth with the account SID and auth token; 201 with the message resource (its `sid`)
on success, and Twilio's error body ({code, message, more_info, status}) otherwise:
20003 for bad credentials, 21211 for a `To` that is not an E.164 number, 21602 for an empty
body, 21610 for a number that has replied STOP (Twilio blocks those itself).
"""

import base64
import json
import re
import secrets
import threading
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl

ACCOUNT_SID = "AC" + "0" * 31 + "1"
AUTH_TOKEN = "fake-twilio-auth-token"  # noqa: S105
FROM_NUMBER = "+12035550100"
E164 = re.compile(r"^\+[1-9]\d{7,14}$")


@dataclass
class SentRequest:
    """One request the fake received: its path, headers and form fields."""

    method: str
    path: str
    headers: dict[str, str]
    form: dict[str, str]


@dataclass
class FakeTwilio:
    """The server's state: what it received, and how it should answer next."""

    base_url: str = ""
    requests: list[SentRequest] = field(default_factory=list)
    # The form of every message accepted (answered 201), in order.
    messages: list[dict[str, str]] = field(default_factory=list)
    # Answers to give before any normal one, e.g. [(503, {...})] for one server error.
    queued_failures: list[tuple[int, dict]] = field(default_factory=list)
    # Seconds to wait before answering each of the next requests (one entry per request).
    delays: list[float] = field(default_factory=list)
    # Numbers that have replied STOP: Twilio refuses to text them (21610).
    blocked: set[str] = field(default_factory=set)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def sent_to(self, number: str) -> list[str]:
        """The bodies of the messages accepted for *number*."""
        return [m["Body"] for m in self.messages if m["To"] == number]

    def fail_next(self, status: int = 503, times: int = 1) -> None:
        body = {"code": 20500, "message": "Internal Server Error", "status": status}
        self.queued_failures.extend([(status, body)] * times)

    def answer(self, method: str, path: str, headers: dict[str, str], form: dict[str, str]):
        with self.lock:
            self.requests.append(SentRequest(method, path, headers, form))
            delay = self.delays.pop(0) if self.delays else 0
        time.sleep(delay)  # a late answer still sends the text, as a slow Twilio would
        with self.lock:
            status, body = self._decide(method, path, headers, form)
            if status == 201:
                self.messages.append(form)
        return status, body

    def _decide(self, method, path, headers, form) -> tuple[int, dict]:
        if path != f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages.json" or method != "POST":
            return 404, _error(20404, f"The requested resource {path} was not found", 404)
        expected = "Basic " + base64.b64encode(f"{ACCOUNT_SID}:{AUTH_TOKEN}".encode()).decode()
        if headers.get("authorization") != expected:
            return 401, _error(20003, "Authenticate", 401)
        if self.queued_failures:
            return self.queued_failures.pop(0)
        to = form.get("To", "")
        if not E164.match(to):
            return 400, _error(21211, f"The 'To' number {to} is not a valid phone number.", 400)
        if not form.get("Body"):
            return 400, _error(21602, "Message body is required.", 400)
        if to in self.blocked:
            return 400, _error(21610, "Attempt to send to unsubscribed recipient", 400)
        sid = "SM" + secrets.token_hex(16)
        now = datetime.now(UTC).strftime("%a, %d %b %Y %H:%M:%S +0000")
        return 201, {
            "sid": sid,
            "account_sid": ACCOUNT_SID,
            "to": to,
            "from": form.get("From"),
            "body": form["Body"],
            "status": "queued",
            "num_segments": "1",
            "direction": "outbound-api",
            "api_version": "2010-04-01",
            "date_created": now,
            "date_updated": now,
            "date_sent": None,
            "error_code": None,
            "error_message": None,
            "uri": f"/2010-04-01/Accounts/{ACCOUNT_SID}/Messages/{sid}.json",
        }


def _error(code: int, message: str, status: int) -> dict:
    return {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def start(state: FakeTwilio) -> ThreadingHTTPServer:
    """Serve *state* on a free local port in a daemon thread; set its base_url."""

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - the name http.server calls
            self._handle()

        def do_GET(self):  # noqa: N802
            self._handle()

        def _handle(self):
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode() if length else ""
            form = dict(parse_qsl(raw, keep_blank_values=True))
            headers = {name.lower(): value for name, value in self.headers.items()}
            status, body = state.answer(self.command, self.path, headers, form)
            payload = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base_url = f"http://127.0.0.1:{server.server_address[1]}"
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server

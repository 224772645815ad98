"""End-to-end tests: the real `madoguchi` binary, started as a user would start it."""
import base64
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import threading
import uuid
from pathlib import Path

import pytest
import requests

from browser import chromium

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / ".build" / "debug" / "madoguchi"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def run_cli(*args, stdin: str | None = None, env: dict | None = None, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([str(BINARY), *args], input=stdin, capture_output=True, text=True, timeout=120,
                          env={**os.environ, **(env or {})}, cwd=cwd or ROOT)


class Server:
    """A `madoguchi serve` process on a free port; stopped with SIGTERM like a service manager would.

    Its output is read line by line as it comes; the server is ready when it has printed its banner, which it does
    once it is listening (the banner ends with the /healthz line).
    """

    def __init__(self, *args: str, cwd: Path | None = None, env: dict | None = None):
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.lines: list[str] = []
        self.ready = threading.Event()
        self.process = subprocess.Popen([str(BINARY), "serve", "--port", str(self.port), *args], stdout=subprocess.PIPE,
                                        stderr=subprocess.STDOUT, text=True, cwd=cwd or ROOT, env={**os.environ, **(env or {})})
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self):
        for line in self.process.stdout:
            self.lines.append(line)
            if "/healthz" in line:
                self.ready.set()
        self.ready.set()  # the process ended: wake anyone waiting, wait_ready reports it

    def wait_ready(self, timeout: float = 60) -> "Server":
        if not self.ready.wait(timeout):
            raise AssertionError(f"server not ready within {timeout}s:\n{self.output()}")
        if self.process.poll() is not None:
            raise AssertionError(f"server exited with {self.process.returncode}:\n{self.output()}")
        return self

    def output(self) -> str:
        if self.process.poll() is not None:
            self.reader.join(timeout=10)
        return "".join(self.lines)

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        return self.process.returncode

    def issuer(self) -> requests.Session:
        """A signed-in member of staff, who may take numbers for visitors without the public limit per client (anonymous
        clients get 10 per 10 minutes); tests that play a busy morning issue through it."""
        if not hasattr(self, "_issuer"):
            self._issuer = self.sign_in()
        return self._issuer

    def sign_in(self, login="admin", password="madoguchi-demo") -> requests.Session:
        session = requests.Session()
        answer = session.post(self.base + "/api/v1/session", json={"login": login, "password": password}, timeout=10)
        assert answer.status_code == 200, answer.text
        return session


@pytest.fixture
def workdir():
    path = Path(tempfile.mkdtemp(prefix="madoguchi-e2e-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def servers():
    started: list[Server] = []

    def start(*args, cwd=None, ready=True, env=None) -> Server:
        server = Server(*args, cwd=cwd, env=env)
        started.append(server)
        return server.wait_ready() if ready else server

    yield start
    for server in started:
        server.stop()


@pytest.fixture
def postgres_database(monkeypatch):
    """A fresh PostgreSQL database on the server scripts/test started; skipped without one. Instances on it share
    one data key ring, as an operator sets it on every instance."""
    monkeypatch.setenv("MADOGUCHI_DATA_KEYS", "k1:" + base64.b64encode(os.urandom(32)).decode())
    admin = os.environ.get("MADOGUCHI_TEST_POSTGRES_URL")
    if not admin:
        pytest.skip("MADOGUCHI_TEST_POSTGRES_URL is not set")
    name = "madoguchi_e2e_" + uuid.uuid4().hex[:12]
    subprocess.run(["psql", admin, "-qc", f"CREATE DATABASE {name}"], check=True, capture_output=True)
    yield admin.rsplit("/", 1)[0] + "/" + name
    subprocess.run(["psql", admin, "-qc", f"DROP DATABASE IF EXISTS {name} WITH (FORCE)"], capture_output=True)


@pytest.fixture
def browsers():
    started = []

    def start():
        driver = chromium()
        started.append(driver)
        return driver

    yield start
    for driver in started:
        driver.quit()

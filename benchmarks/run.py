#!/usr/bin/env python3
"""Load benchmarks against the release build, measured as ratios within one run (docs/BENCHMARKS.md).

1. GET /healthz (baseline) and GET /api/v1/offices/nerima/status at 64 connections: the status read as a ratio of
   the baseline (target >= 0.8) and its p99 (target <= 5 ms).
2. POST /api/v1/offices/bench/tickets on SQLite: durable ticket issues per second (target >= 1,000/s on 2 cores),
   verified afterwards by counting the rows in the database.
"""
import argparse
import json
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HERE = Path(__file__).resolve().parent
BINARY = ROOT / ".build" / "release" / "madoguchi"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wrk(url, script, connections, seconds, threads):
    out = subprocess.run(["wrk", "-t", str(threads), "-c", str(connections), "-d", f"{seconds}s", "--latency", "-s", str(HERE / script), url],
                         capture_output=True, text=True, check=True).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    def latency(pct):
        m = re.search(rf"\s{pct}%\s+([\d.]+)(us|ms|s)\b", out)
        value, unit = float(m.group(1)), m.group(2)
        return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", out)
    socket_errors = re.search(r"Socket errors: (.*)", out)
    return {"rps": rps, "p50_ms": latency(50), "p99_ms": latency(99), "non2xx": int(errors.group(1)) if errors else 0,
            "socket_errors": socket_errors.group(1) if socket_errors else "", "raw": out}


def median_run(runs):
    """The run with the median throughput."""
    return sorted(runs, key=lambda r: r["rps"])[len(runs) // 2]


BENCH_SERVICES = 40


def add_bench_service(db_path):
    """40 services of the widest range the settings allow (0–9,999), so the benchmark never runs out of numbers
    (configuration data only); issue_ticket.lua spreads its requests over them."""
    db = sqlite3.connect(db_path)
    with db:
        db.execute("INSERT INTO offices (id, name, position) VALUES ('bench', 'ベンチマーク', 99)")
        for i in range(BENCH_SERVICES):
            db.execute("INSERT INTO services (id, office_id, name, prefix, range_lower, range_upper, position) "
                       f"VALUES ('bench-issue-{i}', 'bench', '計測{i}', 'Z', 0, 9999, {100 + i})")
            db.execute(f"INSERT INTO stages (id, service_id, name, position) VALUES ('bench-issue-{i}-1', 'bench-issue-{i}', '受付', 0)")
        kiosk = {"id": "bench-kiosk", "officeID": "bench", "name": "計測の発券機", "printMode": "browser", "announcement": {}, "ticketFooter": {},
                 "menuSets": [{"id": "all", "name": "全業務", "serviceIDs": [f"bench-issue-{i}" for i in range(BENCH_SERVICES)]}],
                 "schedule": [], "defaultMenuSetID": "all"}
        db.execute("INSERT INTO kiosks (id, office_id, config, position) VALUES ('bench-kiosk', 'bench', ?, 99)", (json.dumps(kiosk),))
    db.close()


def kiosk_cookie(base, staff):
    """Registers the benchmark's kiosk as staff do on /staff/devices and returns its device cookie: a registered
    kiosk issues without the public limit and without a session lookup, as the lobby's kiosks do."""
    req = urllib.request.Request(base + "/staff/devices/register", data=b"kind=kiosk&id=bench-kiosk", method="POST",
                                 headers={"Content-Type": "application/x-www-form-urlencoded", "Cookie": staff})

    class NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None
    try:
        urllib.request.build_opener(NoRedirect).open(req)
    except urllib.error.HTTPError as answer:  # the 303 to the kiosk page carries the cookie
        return answer.headers["Set-Cookie"].split(";")[0]
    sys.exit("kiosk registration did not redirect")


def staff_cookie(base):
    """The session cookie of the demo administrator: tickets from staff (or a registered kiosk) are not limited per
    client as anonymous ones are."""
    req = urllib.request.Request(base + "/api/v1/session", data=json.dumps({"login": "admin", "password": "madoguchi-demo"}).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req) as answer:
        return answer.headers["Set-Cookie"].split(";")[0]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3, help="alternating rounds of the two read scenarios")
    parser.add_argument("--connections", type=int, default=64)
    parser.add_argument("--threads", type=int, default=2, help="wrk threads; wrk shares the machine's cores with the server")
    args = parser.parse_args()
    if not BINARY.exists():
        sys.exit(f"{BINARY} missing: run `swift build -c release --product madoguchi` first")
    work = Path(tempfile.mkdtemp(prefix="madoguchi-bench-"))
    db_path = work / "bench.sqlite"
    url = f"sqlite://{db_path}"
    subprocess.run([str(BINARY), "demo", "--database", url], check=True, capture_output=True)
    add_bench_service(db_path)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen([str(BINARY), "serve", "--port", str(port), "--database", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                if time.monotonic() > deadline:
                    sys.exit("server did not start")
                time.sleep(0.05)
        cookie = staff_cookie(base)
        os.environ["MADOGUCHI_BENCH_COOKIE"] = kiosk_cookie(base, cookie)
        os.environ["MADOGUCHI_BENCH_SERVICES"] = str(BENCH_SERVICES)
        # some queue content so the status is realistic: 30 waiting tickets over the main office's services
        for i in range(30):
            service = ["nerima-juki", "nerima-shomei", "nerima-inkan", "nerima-mynumber"][i % 4]
            req = urllib.request.Request(base + "/api/v1/offices/nerima/tickets", data=json.dumps({"service": service}).encode(),
                                         headers={"Content-Type": "application/json", "Cookie": cookie}, method="POST")
            urllib.request.urlopen(req)
        health_url, status_url = base + "/healthz", base + "/api/v1/offices/nerima/status"
        for url in (health_url, status_url):  # warm-up: connections, caches, allocator
            wrk(url, "get.lua", args.connections, 3, args.threads)
        # Alternate the two reads so drift of the shared machine hits both alike; keep the median of each.
        rounds = [(wrk(health_url, "get.lua", args.connections, args.seconds, args.threads),
                   wrk(status_url, "get.lua", args.connections, args.seconds, args.threads)) for _ in range(args.rounds)]
        health = median_run([r[0] for r in rounds])
        status = median_run([r[1] for r in rounds])
        issue = wrk(base + "/api/v1/offices/bench/tickets", "issue_ticket.lua", args.connections, args.seconds, args.threads)
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    stored = sqlite3.connect(db_path).execute("SELECT COUNT(*) FROM tickets WHERE service_id LIKE 'bench-issue-%'").fetchone()[0]
    shutil.rmtree(work, ignore_errors=True)

    print(f"machine: {os.cpu_count()} cores; wrk -t{args.threads} -c{args.connections} -d{args.seconds}s on the same machine; "
          f"reads: median of {args.rounds} alternating rounds")
    print("| scenario | req/s | p50 ms | p99 ms | non-2xx |")
    print("|---|---:|---:|---:|---:|")
    for name, r in [("GET /healthz (baseline)", health), ("GET /api/v1/offices/nerima/status", status),
                    ("POST /api/v1/offices/bench/tickets (SQLite)", issue)]:
        print(f"| {name} | {r['rps']:,.0f} | {r['p50_ms']:.2f} | {r['p99_ms']:.2f} | {r['non2xx']} |")
    print()
    print(f"status / healthz ratio: {status['rps'] / health['rps']:.2f} (target >= 0.8)")
    print(f"status p99: {status['p99_ms']:.2f} ms (target <= 5 ms)")
    print(f"tickets stored: {stored} in {args.seconds} s = {stored / args.seconds:,.0f}/s durable (target >= 1,000/s)")


if __name__ == "__main__":
    main()

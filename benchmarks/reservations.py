#!/usr/bin/env python3
"""Booking under burst (issue 6, R5), on the release build with the embedded SQLite database.

A procedure with 40 slots of 50 seats (2,000 seats) on one day; 10,000 booking attempts from 32 concurrent
keep-alive clients, each for a random slot. Checked afterwards: exactly 2,000 confirmed (201), the rest 409
`slot_full`, no 5xx, and 2,000 active bookings and 2,000 taken seats in the database. Throughput is also given as a
ratio of GET /healthz served by the same client in the same run (docs/BENCHMARKS.md).
"""
import argparse
import datetime
import http.client
import json
import random
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / ".build" / "release" / "madoguchi"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def percentile(values, p):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(p / 100 * len(ordered) + 0.5)) - 1))]


def hammer(port, requests, clients, headers=None):
    """Runs `requests` (method, path, body) over `clients` keep-alive connections, each with `headers` (a session
    cookie, say); returns the wall time and, per request, (status, error code, seconds)."""
    results = [None] * len(requests)
    cursor = iter(range(len(requests)))
    lock = threading.Lock()

    def worker():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
            with lock:
                index = next(cursor, None)
            if index is None:
                break
            method, path, body = requests[index]
            started = time.perf_counter()
            connection.request(method, path, body=body, headers={**({"Content-Type": "application/json"} if body else {}), **(headers or {})})
            response = connection.getresponse()
            data = response.read()
            elapsed = time.perf_counter() - started
            code = ""
            if response.status >= 300:
                try:
                    code = json.loads(data)["error"]["code"]
                except (ValueError, KeyError):
                    code = "?"
            results[index] = (response.status, code, elapsed)
        connection.close()

    threads = [threading.Thread(target=worker) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, results


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--attempts", type=int, default=10_000)
    parser.add_argument("--slots", type=int, default=40)
    parser.add_argument("--capacity", type=int, default=50)
    parser.add_argument("--clients", type=int, default=32)
    args = parser.parse_args()
    if not BINARY.exists():
        sys.exit(f"{BINARY} missing: run `swift build -c release --product madoguchi` first")
    work = Path(tempfile.mkdtemp(prefix="madoguchi-bench-reserve-"))
    db_path = work / "bench.sqlite"
    url = f"sqlite://{db_path}"
    subprocess.run([str(BINARY), "demo", "--database", url], check=True, capture_output=True)

    # A bookable day two weeks ahead (inside the 45-day window, past the 3-business-day closing), opened by an
    # override whatever the weekday: slots of 15 minutes from 9:00.
    day = (datetime.datetime.now(datetime.timezone(datetime.timedelta(hours=9))).date() + datetime.timedelta(days=14)).isoformat()
    exported = subprocess.run([str(BINARY), "config", "export", "--format", "json", "--database", url], check=True, capture_output=True, text=True).stdout
    document = json.loads(exported)
    document["reservations"]["procedures"].append({
        "id": "bench", "name": "計測", "offices": ["nerima"], "templates": [],
        "overrides": [{"officeID": "nerima", "date": day, "bands": [
            {"officeID": "nerima", "weekdays": [], "from": 540, "until": 540 + 15 * args.slots, "slotMinutes": 15, "capacity": args.capacity}]}]})
    config_path = work / "configuration.json"
    config_path.write_text(json.dumps(document, ensure_ascii=False))
    subprocess.run([str(BINARY), "config", "import", str(config_path), "--database", url], check=True, capture_output=True)

    port = free_port()
    server = subprocess.Popen([str(BINARY), "serve", "--port", str(port), "--database", url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(300):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        starts = [f"{day}T{(540 + 15 * i) // 60:02d}:{(540 + 15 * i) % 60:02d}" for i in range(args.slots)]
        random.seed(6)
        health_time, health = hammer(port, [("GET", "/healthz", None)] * args.attempts, args.clients)
        bookings = [("POST", "/api/v1/reservations", json.dumps({
            "procedure": "bench", "office": "nerima", "start": random.choice(starts), "phone": f"090{i:08d}",
            "email": f"visitor{i}@example.jp", "password": f"{i % 10000:04d}"})) for i in range(args.attempts)]
        booking_time, results = hammer(port, bookings, args.clients)
    finally:
        server.terminate()
        server.wait(timeout=30)

    statuses = [r[0] for r in results]
    confirmed = statuses.count(201)
    full = sum(1 for status, code, _ in results if status == 409 and code == "slot_full")
    server_errors = sum(1 for status in statuses if status >= 500)
    other = len(results) - confirmed - full
    latencies = [r[2] * 1000 for r in results]
    db = sqlite3.connect(db_path)
    stored = db.execute("SELECT COUNT(*) FROM reservations WHERE procedure_id = 'bench' AND status = 'booked'").fetchone()[0]
    seats = db.execute("SELECT SUM(booked) FROM reservation_slots WHERE procedure_id = 'bench'").fetchone()[0]
    overfull = db.execute("SELECT COUNT(*) FROM reservation_slots WHERE procedure_id = 'bench' AND booked > ?", (args.capacity,)).fetchone()[0]
    db.close()
    seat_count = args.slots * args.capacity
    health_rate, booking_rate = len(health) / health_time, len(results) / booking_time
    print(f"{args.attempts} attempts on {seat_count} seats ({args.slots} slots × {args.capacity}), {args.clients} clients, SQLite, release build")
    print(f"GET /healthz (baseline, same client): {health_rate:,.0f}/s, p99 {percentile([r[2] * 1000 for r in health], 99):.1f} ms")
    print(f"booking attempts: {booking_rate:,.0f}/s ({booking_rate / health_rate:.2f} × baseline), p50 {percentile(latencies, 50):.1f} ms, "
          f"p99 {percentile(latencies, 99):.1f} ms, wall {booking_time:.1f} s")
    print(f"confirmed {confirmed} (201), slot_full {full} (409), other {other}, 5xx {server_errors}")
    print(f"database: {stored} active bookings, {seats} seats taken, {overfull} slots over capacity")
    ok = confirmed == seat_count == stored == seats and server_errors == 0 and other == 0 and overfull == 0 and booking_rate >= 500
    print("targets (exactly the seats, no 5xx, >= 500 attempts/s):", "met" if ok else "NOT met")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())

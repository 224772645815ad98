#!/usr/bin/env python3
"""Statistics benchmark on a year of generated traffic (issue 5; docs/BENCHMARKS.md).

1. `madoguchi demo --history 365` into a fresh SQLite database: about 7 million tickets across the demo offices,
   then the daily rollups; both timed.
2. The server on loopback; a statistics viewer signed in. Baseline: GET /api/v1/session (a signed-in request that
   reads one row), timed in the same run.
3. A monthly report (by service and day) as JSON: target <= 1 s. A full-year CSV export (by service and day) and
   the same as .xlsx: target <= 10 s. Each is repeated and the median kept; the ratio to the baseline is printed.
"""
import argparse
import http.cookiejar
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BINARY = ROOT / ".build" / "release" / "madoguchi"


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def timed(opener, url, repeat):
    times, size = [], 0
    for _ in range(repeat):
        started = time.perf_counter()
        with opener.open(url, timeout=600) as answer:
            size = len(answer.read())
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times), size


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--tickets-per-year", type=int, default=7_000_000)
    parser.add_argument("--keep", help="reuse (or keep) the generated database in this directory")
    args = parser.parse_args()
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="madoguchi-stats-"))
    work.mkdir(parents=True, exist_ok=True)
    database = f"sqlite://{work}/statistics.sqlite"
    results = {}
    if not (work / "statistics.sqlite").exists():
        started = time.perf_counter()
        generated = subprocess.run([str(BINARY), "demo", "--database", database, "--history", str(args.days),
                                    "--tickets-per-year", str(args.tickets_per_year)], capture_output=True, text=True, check=True)
        results["generate_and_rollup_s"] = round(time.perf_counter() - started, 1)
        print(generated.stdout.strip())
    size = sum(f.stat().st_size for f in work.glob("statistics.sqlite*"))
    results["database_bytes"] = size

    port = free_port()
    env = dict(os.environ)
    server = subprocess.Popen([str(BINARY), "serve", "--database", database, "--port", str(port)], stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True, env=env)
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(3000):  # start-up reads a year of history once
            try:
                urllib.request.urlopen(base + "/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        jar = http.cookiejar.CookieJar()
        opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
        request = urllib.request.Request(base + "/api/v1/session", data=json.dumps({"login": "statistics", "password": "madoguchi-demo"}).encode(),
                                         headers={"Content-Type": "application/json"})
        opener.open(request).read()
        today = time.strftime("%Y-%m-%d", time.localtime())
        first = time.strftime("%Y-%m-%d", time.localtime(time.time() - args.days * 86400))
        # The last full calendar month.
        import datetime
        last_day = datetime.date.today().replace(day=1) - datetime.timedelta(days=1)
        month_from, month_to = last_day.replace(day=1).isoformat(), last_day.isoformat()
        baseline, _, _ = timed(opener, base + "/api/v1/session", 50)
        results["baseline_session_ms"] = round(baseline * 1000, 2)
        month_url = f"{base}/api/v1/statistics?from={month_from}&to={month_to}&grouping=service&period=day"
        cold, _, _ = timed(opener, month_url, 1)
        month, month_min, month_bytes = timed(opener, month_url, 5)
        results["month_json_first_s"] = round(cold, 3)
        results["month_json_median_s"] = round(month, 3)
        results["month_json_bytes"] = month_bytes
        year_csv = f"{base}/api/v1/statistics?from={first}&to={today}&grouping=service&period=day&format=csv"
        csv, _, csv_bytes = timed(opener, year_csv, 3)
        results["year_csv_median_s"] = round(csv, 3)
        results["year_csv_bytes"] = csv_bytes
        year_xlsx = year_csv.replace("format=csv", "format=xlsx")
        xlsx, _, xlsx_bytes = timed(opener, year_xlsx, 3)
        results["year_xlsx_median_s"] = round(xlsx, 3)
        results["year_xlsx_bytes"] = xlsx_bytes
        by_counter = f"{base}/api/v1/statistics?from={first}&to={today}&grouping=counter&period=month"
        counter, _, _ = timed(opener, by_counter, 3)
        results["year_by_counter_month_json_median_s"] = round(counter, 3)
        results["month_over_baseline"] = round(month / baseline, 1)
        results["year_csv_over_baseline"] = round(csv / baseline, 1)
        tickets = json.loads(opener.open(f"{base}/api/v1/statistics?from={first}&to={today}&grouping=office").read())
        results["tickets_in_range"] = sum(r["issued"] for r in tickets["rows"])
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    print(json.dumps(results, indent=2, ensure_ascii=False))
    print(f"monthly report {results['month_json_median_s']} s (target <= 1 s); "
          f"full-year CSV {results['year_csv_median_s']} s and .xlsx {results['year_xlsx_median_s']} s (target <= 10 s)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""The no-writing counter under load (issue 7), on the release build with the embedded SQLite database.

2,000 filled two-person cases (one Japanese, one foreign resident) are stored through the API, sealed as in
production; one is completed. Measured from the same client in one run, with GET /healthz as the baseline:
the live check a clerk's form makes while typing (faults and the SVG preview), a search by kana over the 2,000
sealed cases, the stored PDF of a completed case, and three forms drawn live with cairo + pango into one PDF.
"""
import argparse
import json
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from pathlib import Path

from reservations import BINARY, free_port, hammer, percentile

KANA = "あいうえおかきくけこさしすせそたちつてとなにぬねのはひふへほまみむめもやゆよらりるれろわ"


def household(i: int) -> dict:
    family = KANA[i % len(KANA)] + KANA[(i // len(KANA)) % len(KANA)] + "の"
    return {
        "procedure": "move_in", "movingDate": "", "notificationDate": "", "previousAddress": "埼玉県さいたま市浦和区高砂三丁目1番1号",
        "newAddress": f"東京都練馬区豊玉北六丁目{i % 30 + 1}番1号", "householder": f"髙橋　{i}", "remarks": "", "memo": f"整理番号{i}",
        "persons": [
            {"identity": {"source": "typed", "familyName": "髙橋", "givenName": f"{i}", "familyNameKana": family, "givenNameKana": "いちろう",
                          "birthDate": "1985-04-12", "sex": "male", "address": "", "myNumber": "123456789018"},
             "relationship": "世帯主", "japanese": {"honseki": "東京都練馬区豊玉北六丁目12番", "headOfRegistry": f"髙橋　{i}"}},
            {"identity": {"source": "residence_card", "familyName": "GARCIA", "givenName": "MARIA", "familyNameKana": "がるしあ",
                          "givenNameKana": "まりあ", "birthDate": "1990-07-01", "sex": "female", "address": ""},
             "relationship": "妻", "foreign": {"nationality": "フィリピン", "category": "mid_long_term", "status": "日本人の配偶者等",
                                               "periodCode": "0300000", "expiryDate": "2030-07-01", "cardNumber": "AB12345678CD"}}]}


def request(port, method, path, body=None, cookie=None):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=data, method=method,
                                 headers={**({"Content-Type": "application/json"} if data else {}), **({"Cookie": cookie} if cookie else {})})
    with urllib.request.urlopen(req, timeout=60) as answer:
        return answer.headers, answer.read()


def report(name, wall, results, baseline):
    rate = len(results) / wall
    latencies = [r[2] * 1000 for r in results]
    failures = sum(1 for r in results if r[0] >= 300)
    print(f"{name}: {rate:,.1f}/s ({rate / baseline:.4f} × baseline), p50 {percentile(latencies, 50):.1f} ms, p99 {percentile(latencies, 99):.1f} ms, "
          f"{failures} failed")
    return failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cases", type=int, default=2000)
    parser.add_argument("--clients", type=int, default=8)
    args = parser.parse_args()
    if not BINARY.exists():
        sys.exit(f"{BINARY} missing: run `swift build -c release --product madoguchi` first")
    work = Path(tempfile.mkdtemp(prefix="madoguchi-bench-forms-"))
    url = f"sqlite://{work / 'bench.sqlite'}"
    port = free_port()
    server = subprocess.Popen([str(BINARY), "serve", "--demo", "--port", str(port), "--database", url], cwd=work,
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        for _ in range(600):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=1)
                break
            except OSError:
                time.sleep(0.1)
        headers, _ = request(port, "POST", "/api/v1/session", {"login": "nerima-staff", "password": "madoguchi-demo"})
        cookie = headers["Set-Cookie"].split(";")[0]
        today = time.strftime("%Y-%m-%d", time.gmtime(time.time() + 9 * 3600))
        started = time.perf_counter()
        ids = []
        for i in range(args.cases):
            case = household(i)
            case["movingDate"] = case["notificationDate"] = today
            _, body = request(port, "POST", "/api/v1/cases", {"office": "nerima", "case": case}, cookie)
            ids.append(json.loads(body)["id"])
        stored = time.perf_counter() - started
        request(port, "POST", f"/api/v1/cases/{ids[0]}/status", {"status": "completed"}, cookie)
        print(f"{args.cases} two-person cases stored through the API in {stored:.1f} s ({args.cases / stored:,.0f}/s); "
              f"{args.clients} clients, SQLite, release build")

        auth = {"Cookie": cookie}
        wall, health = hammer(port, [("GET", "/healthz", None)] * 4000, args.clients, auth)
        baseline = len(health) / wall
        print(f"GET /healthz (baseline, same client): {baseline:,.0f}/s, p99 {percentile([r[2] * 1000 for r in health], 99):.1f} ms")
        form = urllib.parse.urlencode({
            "person-count": "2", "f-procedure": "move_in", "f-movingDate": today, "f-notificationDate": today, "f-householder": "髙橋　一郎",
            "f-newAddress": "東京都練馬区豊玉北六丁目12番1号", "f-previousAddress": "埼玉県さいたま市", "p0-familyName": "髙橋", "p0-givenName": "一郎",
            "p0-familyNameKana": "たかはし", "p0-givenNameKana": "いちろう", "p0-birthDate": "S60.4.12", "p0-relationship": "世帯主",
            "p0-myNumber": "123456789012", "p0-honseki": "東京都練馬区", "p0-headOfRegistry": "髙橋　一郎", "p1-kind": "foreign",
            "p1-familyName": "GARCIA", "p1-familyNameKana": "がるしあ", "p1-birthDate": "1990-07-01", "p1-relationship": "妻",
            "p1-nationality": "フィリピン", "p1-status": "日本人の配偶者等", "p1-periodCode": "0300000", "p1-expiryDate": "2030-07-01",
            "p1-cardNumber": "AB12345678CD"})
        failures = 0
        failures += report("live check of the staff form (faults + SVG preview)",
                           *hammer(port, [("POST", f"/staff/forms/{ids[1]}/check", form)] * 1000, args.clients, auth), baseline)
        probe = household(args.cases // 2)["persons"][0]["identity"]["familyNameKana"]
        search = "/api/v1/cases?" + urllib.parse.urlencode({"q": probe})
        failures += report(f"search by kana over {args.cases} sealed cases", *hammer(port, [("GET", search, None)] * 200, args.clients, auth), baseline)
        failures += report("stored PDF of a completed case", *hammer(port, [("GET", f"/api/v1/cases/{ids[0]}/pdf", None)] * 1000, args.clients, auth), baseline)
        live = f"/api/v1/cases/{ids[1]}/pdf?form=jumin-ido&form=kokuho&form=juminhyo-request"
        failures += report("three forms drawn live into one PDF", *hammer(port, [("GET", live, None)] * 300, args.clients, auth), baseline)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())

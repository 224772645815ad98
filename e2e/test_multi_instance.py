"""Two server processes on one PostgreSQL database, as behind a load balancer."""
import json
from concurrent.futures import ThreadPoolExecutor

import requests

from conftest import run_cli
from sse import Stream


def test_an_instance_refuses_to_start_on_an_unmigrated_database(postgres_database, servers):
    server = servers("--database", postgres_database, ready=False)
    assert server.process.wait(timeout=60) != 0
    assert "madoguchi migrate" in server.output()


def test_two_instances_share_numbering_and_calling_without_duplicates(postgres_database, servers, monkeypatch):
    # frequent heartbeats let the test's stream readers notice their own close at once
    monkeypatch.setenv("MADOGUCHI_SSE_HEARTBEAT_SECONDS", "0.2")
    assert run_cli("migrate", "--database", postgres_database).returncode == 0
    assert run_cli("demo", "--database", postgres_database).returncode == 0
    a = servers("--database", postgres_database)
    b = servers("--database", postgres_database)
    bases = [a.base, b.base]

    # 80 visitors take tickets through both instances at once (from the office's kiosks: staff-signed, not limited per client)
    cookies = a.sign_in().cookies

    def issue(i):
        answer = requests.post(bases[i % 2] + "/api/v1/offices/nerima/tickets", json={"service": "nerima-shomei"}, cookies=cookies, timeout=30)
        assert answer.status_code == 201, answer.text
        return answer.json()

    with ThreadPoolExecutor(max_workers=16) as pool:
        tickets = list(pool.map(issue, range(80)))
    assert len({t["number"] for t in tickets}) == 80

    # screens on both instances follow the office
    streams = [Stream(a.base + "/events/offices/nerima"), Stream(b.base + "/events/offices/nerima")]

    # four counters on two instances call everybody at once
    sessions = [a.sign_in(), b.sign_in()]

    def drain(k):
        base, session = bases[k % 2], sessions[k % 2]
        called = []
        while True:
            answer = session.post(f"{base}/api/v1/counters/nerima-{k % 4 + 1}/call-next", timeout=30)
            if answer.status_code == 204:
                return called
            assert answer.status_code == 200, answer.text
            called.append(answer.json()["id"])

    with ThreadPoolExecutor(max_workers=8) as pool:
        calls = [ticket for batch in pool.map(drain, range(8)) for ticket in batch]
    assert sorted(calls) == sorted(t["id"] for t in tickets), "every ticket called exactly once"

    # both instances reach the same final state, each following the other's events: the last call-next of each
    # counter found nobody and finished its ticket, so everyone waits at 交付
    def settled(stream):
        # messages arrive in the order the instance applied them, so the last one carries its newest status
        if not stream.messages:
            return False
        latest = json.loads(stream.messages[-1]["data"])
        status = latest.get("status", latest)  # the opening snapshot is a status itself
        shomei = next(s for s in status["services"] if s["id"] == "nerima-shomei")
        return [stage["waiting"] for stage in shomei["stages"]] == [0, 80] and shomei["calling"] == []
    try:
        assert all(stream.wait_until(settled, timeout=20) for stream in streams)
    finally:
        for stream in streams:
            stream.close()
    first = requests.get(a.base + "/api/v1/offices/nerima/status").json()["services"]
    second = requests.get(b.base + "/api/v1/offices/nerima/status").json()["services"]
    assert first == second
    shomei = next(s for s in second if s["id"] == "nerima-shomei")
    assert [stage["waiting"] for stage in shomei["stages"]] == [0, 80]


def test_a_screen_on_one_instance_sees_calls_made_on_the_other(postgres_database, servers, monkeypatch):
    monkeypatch.setenv("MADOGUCHI_SSE_HEARTBEAT_SECONDS", "0.2")
    assert run_cli("migrate", "--database", postgres_database).returncode == 0
    assert run_cli("demo", "--database", postgres_database).returncode == 0
    a = servers("--database", postgres_database)
    b = servers("--database", postgres_database)
    stream = Stream(b.base + "/events/offices/oizumi")
    try:
        assert stream.wait_until(lambda s: s.events("status"))
        ticket = requests.post(a.base + "/api/v1/offices/oizumi/tickets", json={"service": "oizumi-shomei"}).json()
        called = a.sign_in().post(a.base + "/api/v1/counters/oizumi-1/call-next").json()
        assert called["id"] == ticket["id"]
        assert stream.wait_until(lambda s: [e["kind"] for e in s.events("ticketCalled")] == ["ticketCalled"])
        message = stream.events("ticketCalled")[0]
        assert message["ticket"]["displayNumber"] == ticket["displayNumber"] and message["counter"] == "oizumi-1"
        shomei = next(s for s in message["status"]["services"] if s["id"] == "oizumi-shomei")
        assert shomei["calling"] == [ticket["displayNumber"]]
        japanese = next(a for a in message["announcements"] if a["language"] == "ja-JP")
        assert japanese["display"] == f"受付番号 {ticket['displayNumber']} 番の方、1番窓口へお越しください。"
        assert "いちばん まどぐちへ おこしください" in japanese["speech"]
        assert {a["language"] for a in message["announcements"]} == {"ja-JP", "en-US", "zh-CN", "ko-KR"}
        # each event once, although it reaches instance b only through NOTIFY
        assert len(stream.events("ticketIssued")) == 1
    finally:
        stream.close()

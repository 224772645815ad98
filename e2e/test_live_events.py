"""The live event stream (/events/offices/{office}) as screens use it."""
import json
import time

import pytest
import requests

from sse import Stream


@pytest.fixture(autouse=True)
def quick_heartbeats(monkeypatch):
    """Frequent heartbeats: they prove the stream alive, and let the client's blocking read notice a close at once."""
    monkeypatch.setenv("MADOGUCHI_SSE_HEARTBEAT_SECONDS", "0.2")


def issue(server, service="seki-juki", office="seki"):
    answer = server.issuer().post(f"{server.base}/api/v1/offices/{office}/tickets", json={"service": service})
    assert answer.status_code == 201
    return answer.json()


def test_a_screen_gets_a_snapshot_then_each_change_within_a_second_with_heartbeats(workdir, servers):
    server = servers("--demo", cwd=workdir)
    stream = Stream(server.base + "/events/offices/seki")
    try:
        assert stream.wait_until(lambda s: s.events("status"), timeout=5)
        assert stream.events("status")[0]["office"] == "seki"
        ticket = issue(server)
        started = time.monotonic()
        assert stream.wait_until(lambda s: s.events("ticketIssued"), timeout=5)
        assert time.monotonic() - started < 1.0
        message = stream.events("ticketIssued")[0]
        assert message["ticket"]["displayNumber"] == ticket["displayNumber"]
        assert message["status"]["services"][0]["waiting"] == 1
        assert message["_id"] == str(message["sequence"])
        # public screens never receive a ticket's secret token
        assert ticket["token"] not in json.dumps([m for m in stream.messages])
        assert stream.wait_until(lambda s: s.comments >= 2, timeout=5), "heartbeats"
        # other offices' events do not arrive here: a later seki event arrives, the nerima one before it does not
        issue(server, "nerima-juki", "nerima")
        issue(server)
        assert stream.wait_until(lambda s: len(s.events("ticketIssued")) == 2)
        assert all(m["office"] == "seki" for m in stream.events("ticketIssued"))
    finally:
        stream.close()


def test_a_reconnecting_screen_resumes_after_its_last_event_id(workdir, servers):
    server = servers("--demo", cwd=workdir)
    first = Stream(server.base + "/events/offices/seki")
    issue(server)
    assert first.wait_until(lambda s: s.events("ticketIssued"))
    last_id = first.events("ticketIssued")[-1]["_id"]
    first.close()
    # while disconnected, two more tickets are issued
    missed = [issue(server), issue(server)]
    resumed = Stream(server.base + "/events/offices/seki", last_event_id=last_id)
    try:
        assert resumed.wait_until(lambda s: len(s.events("ticketIssued")) >= 2)
        assert [e["ticket"]["displayNumber"] for e in resumed.events("ticketIssued")] == [t["displayNumber"] for t in missed]
        later = issue(server)
        assert resumed.wait_until(lambda s: len(s.events("ticketIssued")) == 3)
        assert resumed.events("ticketIssued")[-1]["ticket"]["displayNumber"] == later["displayNumber"]
    finally:
        resumed.close()


def test_streams_end_cleanly_when_the_server_shuts_down(workdir, servers):
    server = servers("--demo", cwd=workdir)
    streams = [Stream(server.base + "/events/offices/nerima") for _ in range(3)]
    assert all(s.wait_until(lambda s: s.events("status")) for s in streams)
    started = time.monotonic()
    assert server.stop() == 0, server.output()
    assert time.monotonic() - started < 10
    assert all(s.wait_ended(5) for s in streams)


def test_unknown_office_stream_is_404(workdir, servers):
    server = servers("--demo", cwd=workdir)
    answer = requests.get(server.base + "/events/offices/atlantis")
    assert answer.status_code == 404 and answer.json()["error"]["code"] == "office_not_found"

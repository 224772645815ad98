"""Notifications (W4) through a real local SMTP server (aiosmtpd) and a local SMS gateway: the message text, the
contact erased after the call, delivery exactly once across an SMTP outage."""
import email
import email.policy
import json
import socket
import sqlite3
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests
from aiosmtpd.controller import Controller

from conftest import free_port


class Inbox:
    """An aiosmtpd handler keeping every message it accepted."""

    def __init__(self):
        self.messages: list[email.message.EmailMessage] = []
        self.envelopes: list[tuple[str, list[str]]] = []
        self.changed = threading.Condition()

    async def handle_DATA(self, server, session, envelope):
        with self.changed:
            self.messages.append(email.message_from_bytes(envelope.content, policy=email.policy.default))
            self.envelopes.append((envelope.mail_from, list(envelope.rcpt_tos)))
            self.changed.notify_all()
        return "250 OK"

    def wait_for(self, count, timeout=20):
        with self.changed:
            assert self.changed.wait_for(lambda: len(self.messages) >= count, timeout), f"{len(self.messages)} of {count} mails arrived"
            return list(self.messages)


class SMTPServer:
    def __init__(self, inbox, port):
        self.controller = Controller(inbox, hostname="127.0.0.1", port=port)
        self.controller.start()

    def stop(self):
        self.controller.stop()


@pytest.fixture
def smtp():
    inbox = Inbox()
    port = free_port()
    server = SMTPServer(inbox, port)
    state = {"server": server}
    yield inbox, port, state
    if state["server"]:
        state["server"].stop()


def settled(read, expected, timeout=10):
    """Reads until the value is `expected` or the time is up, and returns the last reading: the mail server has the
    message a moment before the sender has recorded it as sent."""
    deadline = time.monotonic() + timeout
    value = read()
    while value != expected and time.monotonic() < deadline:
        value = read()  # each reading is a request to the server: polling paced by its answers, no sleep
    return value


def issue(server, service="seki-shomei", office="seki"):
    answer = server.issuer().post(f"{server.base}/api/v1/offices/{office}/tickets", json={"service": service})
    assert answer.status_code == 201, answer.text
    return answer.json()


def body_text(message):
    return message.get_body(preferencelist=("plain",)).get_content()


def test_an_email_comes_five_people_before_the_call_and_at_the_call_then_the_address_is_gone(workdir, servers, smtp):
    inbox, port, _ = smtp
    server = servers("--demo", cwd=workdir, env={"MADOGUCHI_SMTP_URL": f"smtp://127.0.0.1:{port}?from=madoguchi@city.example.jp&starttls=off"})
    tickets = [issue(server) for _ in range(7)]
    mine = tickets[6]  # six people ahead
    bad = requests.post(f"{server.base}/api/v1/tickets/{mine['token']}/notifications", json={"email": "not-an-address"})
    assert bad.status_code == 422 and bad.json()["error"]["code"] == "invalid_contact"
    both = requests.post(f"{server.base}/api/v1/tickets/{mine['token']}/notifications", json={"email": "a@b.jp", "phone": "09012345678"})
    assert both.status_code == 422
    ok = requests.post(f"{server.base}/api/v1/tickets/{mine['token']}/notifications", json={"email": "hanako@example.jp"})
    assert ok.status_code == 201 and ok.json() == {"channel": "email", "contact": "h***@example.jp", "notifyAhead": 5}

    staff = server.sign_in()
    assert staff.post(f"{server.base}/api/v1/counters/seki-1/call-next").status_code == 200  # now 5 ahead
    first = inbox.wait_for(1)[0]
    assert inbox.envelopes[0] == ("madoguchi@city.example.jp", ["hanako@example.jp"])
    assert first["Subject"] == f"【関区民事務所】まもなく番号 {mine['displayNumber']} の順番です"
    assert f"番号 {mine['displayNumber']} の前に 5 人お待ちです" in body_text(first)
    assert f"{server.base}/t/{mine['token']}" in body_text(first)

    for _ in range(6):  # the rest, then mine
        assert staff.post(f"{server.base}/api/v1/counters/seki-1/call-next").status_code == 200
    called = inbox.wait_for(2)[1]
    assert "お呼びしています" in called["Subject"] and "1番窓口へお越しください" in body_text(called)
    assert len(inbox.wait_for(2)) == 2  # nothing more than the two

    expected = {("ahead", "sent", "h***@example.jp"), ("called", "sent", "h***@example.jp")}
    def states():
        deliveries = staff.get(f"{server.base}/api/v1/offices/seki/notifications").json()["deliveries"]
        return {(d["kind"], d["state"], d["contact"]) for d in deliveries}
    assert settled(states, expected) == expected

    # the address is gone from the database: the subscription was erased at the call, the messages once sent
    database = sqlite3.connect(workdir / "data" / "madoguchi.sqlite")
    assert database.execute("SELECT contact_enc, erased_at IS NOT NULL FROM notification_subscriptions").fetchall() == [(None, 1)]
    assert database.execute("SELECT COUNT(*) FROM outbox WHERE recipient_enc IS NOT NULL").fetchone() == (0,)
    database.close()
    raw = b"".join(p.read_bytes() for p in (workdir / "data").glob("madoguchi.sqlite*"))
    assert b"hanako@example.jp" not in raw  # never stored in clear, not even in the WAL
    assert "hanako@example.jp" not in server.output()  # nor logged


def test_every_message_is_delivered_exactly_once_after_the_mail_server_comes_back(workdir, servers, smtp):
    inbox, port, state = smtp
    server = servers("--demo", cwd=workdir, env={"MADOGUCHI_SMTP_URL": f"smtp://127.0.0.1:{port}?from=madoguchi@city.example.jp&starttls=off"})
    state["server"].stop()
    state["server"] = None
    tickets = [issue(server) for _ in range(3)]
    for index, ticket in enumerate(tickets):  # each is within 5 of the front: an "ahead" message each, at once
        answer = requests.post(f"{server.base}/api/v1/tickets/{ticket['token']}/notifications", json={"email": f"visitor{index}@example.jp"})
        assert answer.status_code == 201
    staff = server.sign_in()

    def states():
        return [d["state"] for d in staff.get(f"{server.base}/api/v1/offices/seki/notifications").json()["deliveries"]]

    # with the mail server down the messages wait with their error, nothing is lost
    deliveries = staff.get(f"{server.base}/api/v1/offices/seki/notifications").json()["deliveries"]
    assert len(deliveries) == 3 and all(d["state"] in ("pending", "sending") for d in deliveries)

    state["server"] = SMTPServer(inbox, port)
    mails = inbox.wait_for(3, timeout=30)
    recipients = sorted(rcpt for _, rcpts in inbox.envelopes for rcpt in rcpts)
    assert recipients == ["visitor0@example.jp", "visitor1@example.jp", "visitor2@example.jp"]
    assert all("まもなく" in m["Subject"] for m in mails)
    # a restart does not send anything again
    server.stop()
    again = servers(cwd=workdir, env={"MADOGUCHI_SMTP_URL": f"smtp://127.0.0.1:{port}?from=madoguchi@city.example.jp&starttls=off"})
    staff = again.sign_in()
    assert staff.post(f"{again.base}/api/v1/counters/seki-1/call-next").status_code == 200  # visitor0 called
    inbox.wait_for(4)
    assert [e[1] for e in inbox.envelopes].count(["visitor0@example.jp"]) == 2  # ahead + called
    assert len(inbox.messages) == 4


class Gateway(BaseHTTPRequestHandler):
    received: list = []
    changed = threading.Condition()

    def do_POST(self):
        body = self.rfile.read(int(self.headers["Content-Length"]))
        with Gateway.changed:
            Gateway.received.append((self.path, dict(self.headers), body.decode()))
            Gateway.changed.notify_all()
        self.send_response(201)
        self.send_header("Content-Type", "application/json")
        self.end_headers()
        self.wfile.write(b'{"sid":"SM1"}')

    def log_message(self, *args):
        pass


@pytest.fixture
def gateway():
    Gateway.received = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Gateway)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield httpd.server_address[1]
    httpd.shutdown()


def wait_for_sms(count):
    with Gateway.changed:
        assert Gateway.changed.wait_for(lambda: len(Gateway.received) >= count, 20)
        return list(Gateway.received)


@pytest.mark.parametrize("kind", ["webhook", "twilio"])
def test_sms_goes_through_the_configured_gateway_format(workdir, servers, gateway, kind):
    url = (f"webhook+http://127.0.0.1:{gateway}/send?token=s3cret" if kind == "webhook"
           else f"twilio+http://AC123:tok@127.0.0.1:{gateway}?from=%2B815012345678")
    server = servers("--demo", cwd=workdir, env={"MADOGUCHI_SMS_URL": url})
    ticket = issue(server)
    answer = requests.post(f"{server.base}/api/v1/tickets/{ticket['token']}/notifications", json={"phone": "090-1234-5678", "language": "en"})
    assert answer.status_code == 201 and answer.json()["contact"] == "090-****-5678"
    path, headers, body = wait_for_sms(1)[0]
    if kind == "webhook":
        assert path == "/send" and headers["Authorization"] == "Bearer s3cret"
        sent = json.loads(body)
        assert sent["to"] == "+819012345678" and f"number {ticket['displayNumber']}" in sent["text"]
    else:
        assert path == "/2010-04-01/Accounts/AC123/Messages.json" and headers["Authorization"].startswith("Basic ")
        assert "To=%2B819012345678" in body and "From=%2B815012345678" in body


def test_the_whole_visit_a_web_ticket_an_email_five_before_the_call_and_the_page_counting_down(workdir, servers, smtp):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait
    from browser import chromium

    inbox, port, _ = smtp
    server = servers("--demo", cwd=workdir, env={"MADOGUCHI_SMTP_URL": f"smtp://127.0.0.1:{port}?from=madoguchi@city.example.jp&starttls=off"})
    staff = server.sign_in()
    assert staff.put(f"{server.base}/api/v1/offices/seki/hours", json=[{"weekdays": [1, 2, 3, 4, 5, 6, 7], "from": 0, "until": 1440}]).status_code == 204
    walk_ins = [issue(server) for _ in range(6)]
    web = requests.post(f"{server.base}/api/v1/offices/seki/web-tickets", json={"service": "seki-shomei", "contact": "jiro@example.jp"}).json()
    code = staff.get(server.base + "/kiosk/seki-kiosk").text.split('id="check-in-code">')[1][:4]  # shown in the office only
    assert requests.post(f"{server.base}/api/v1/tickets/{web['token']}/check-in", json={"code": code}).json()["checkedIn"] is True

    driver = chromium()
    try:
        driver.set_window_size(390, 844)
        driver.get(f"{server.base}/t/{web['token']}?lang=ja")
        WebDriverWait(driver, 5).until(lambda d: d.find_element(By.TAG_NAME, "main").get_attribute("data-live") == "open")
        assert driver.find_element(By.ID, "people-ahead").text == "6人"
        assert staff.post(f"{server.base}/api/v1/counters/seki-1/call-next").json()["id"] == walk_ins[0]["id"]
        WebDriverWait(driver, 2).until(lambda d: d.find_element(By.ID, "people-ahead").text == "5人")
        mail = inbox.wait_for(1)[0]
        assert inbox.envelopes[0][1] == ["jiro@example.jp"] and f"前に 5 人" in body_text(mail)
        staff.post(f"{server.base}/api/v1/counters/seki-1/call-next")
        WebDriverWait(driver, 2).until(lambda d: d.find_element(By.ID, "people-ahead").text == "4人")
        # staff see the delivery, the address masked
        page = staff.get(f"{server.base}/staff/notifications").text
        assert "j***@example.jp" in page and "送信済み" in page and "jiro@example.jp" not in page
    finally:
        driver.quit()


def test_mail_goes_over_starttls_with_authentication_when_the_server_requires_it(workdir, servers, tmp_path):
    import ssl
    import subprocess
    from aiosmtpd.smtp import AuthResult

    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1",
                    "-keyout", str(tmp_path / "key.pem"), "-out", str(tmp_path / "cert.pem")], check=True, capture_output=True)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(tmp_path / "cert.pem", tmp_path / "key.pem")
    logins = []

    def authenticator(server, session, envelope, mechanism, auth_data):
        logins.append((mechanism, auth_data.login.decode(), session.ssl is not None))
        return AuthResult(success=auth_data.login == b"madoguchi" and auth_data.password == b"p@ss word")

    inbox = Inbox()
    port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port, tls_context=context, require_starttls=True,
                            authenticator=authenticator, auth_required=True)
    controller.start()
    try:
        url = f"smtp://madoguchi:p%40ss%20word@127.0.0.1:{port}?from=madoguchi@city.example.jp&starttls=required&tls=insecure"
        server = servers("--demo", cwd=workdir, env={"MADOGUCHI_SMTP_URL": url})
        ticket = issue(server)
        assert requests.post(f"{server.base}/api/v1/tickets/{ticket['token']}/notifications", json={"email": "tls@example.jp"}).status_code == 201
        message = inbox.wait_for(1)[0]
        assert ticket["displayNumber"] in message["Subject"]
        assert logins == [("PLAIN", "madoguchi", True)]  # authenticated, and only after TLS was on
    finally:
        controller.stop()

"""Web reservations end to end: a resident books a MyNumber-card pickup in chromium with an imported ID, gets the
e-mail from a real local SMTP server, changes and cancels it; staff check a visitor in and the priority ticket is
called first; 1,000 simultaneous bookings on two server processes on one PostgreSQL confirm exactly the seats."""
import datetime
import re
from concurrent.futures import ThreadPoolExecutor
from zoneinfo import ZoneInfo

import requests
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import axe_violations, new_page, screenshot, sign_in
from conftest import free_port, run_cli
from test_notifications import SMTPServer, Inbox

TOKYO = ZoneInfo("Asia/Tokyo")


def smtp_env(port):
    return {"MADOGUCHI_SMTP_URL": f"smtp://127.0.0.1:{port}?from=yoyaku@city.example.jp&starttls=off"}


def bookable_day_links(driver):
    return driver.find_elements(By.CSS_SELECTOR, "#calendar a[data-date-mark]")


def open_a_bookable_day(driver, skip: str | None = None):
    """Clicks the first day marked ○ or △ (other than `skip`), going to the next month when this one has none."""
    for _ in range(3):
        links = [link for link in bookable_day_links(driver) if skip is None or f"date={skip}" not in link.get_attribute("href")]
        if links:
            assert links[0].get_attribute("data-date-mark") in ("○", "△")
            with new_page(driver):
                links[0].click()
            WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "times"))
            return
        with new_page(driver):
            driver.find_element(By.CSS_SELECTOR, ".month-nav a[rel=next]").click()
    raise AssertionError("no bookable day in three months")


def wait_text(driver, element_id, fragment, timeout=10):
    """Waits until the element (on the page the last click led to) says `fragment`; returns its text."""
    WebDriverWait(driver, timeout, ignored_exceptions=[NoSuchElementException, StaleElementReferenceException]).until(
        lambda d: fragment in d.find_element(By.ID, element_id).text)
    return driver.find_element(By.ID, element_id).text


def configuration(session, base):
    answer = session.get(base + "/api/v1/configuration?format=json", timeout=10)
    assert answer.status_code == 200, answer.text
    return answer.json()


def put_configuration(session, base, document):
    answer = session.put(base + "/api/v1/configuration", json=document, timeout=30)
    assert answer.status_code in (200, 204), answer.text


def add_override(document, procedure_id, override):
    procedure = next(p for p in document["reservations"]["procedures"] if p["id"] == procedure_id)
    procedure.setdefault("overrides", []).append(override)


def test_a_resident_books_a_card_pickup_gets_the_mail_changes_and_cancels_it(workdir, servers, browsers):
    inbox, port = Inbox(), free_port()
    smtp = SMTPServer(inbox, port)
    try:
        server = servers("--demo", cwd=workdir, env=smtp_env(port))
        driver = browsers()
        driver.set_window_size(412, 915)  # a phone
        driver.get(server.base + "/reserve?lang=ja")
        assert axe_violations(driver) == []
        with new_page(driver):
            driver.find_element(By.LINK_TEXT, "マイナンバーカードの受け取り").click()

        # An unknown ID is refused with its reason; the imported demo ID NRM10003 (練馬) is accepted.
        with new_page(driver):
            driver.find_element(By.ID, "reservation-id").send_keys("ZZZZ9999" + Keys.ENTER)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "reserve-error"))
        assert "予約番号または生年月日が登録と一致しません" in driver.find_element(By.ID, "reserve-error").text
        with new_page(driver):
            driver.find_element(By.ID, "reservation-id").send_keys("nrm10003" + Keys.ENTER)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "calendar"))
        assert driver.find_element(By.ID, "summary-office").text == "練馬区民事務所"
        marks = {cell.get_attribute("data-date-mark") for cell in driver.find_elements(By.CSS_SELECTOR, "#calendar [data-date-mark]")}
        assert marks <= {"○", "△", "×"} and "×" in marks  # weekends at least
        assert not re.search(r"\d+\s*(席|人|名)", driver.find_element(By.ID, "calendar").text), "no counts are shown"
        assert axe_violations(driver) == []

        open_a_bookable_day(driver)
        first_time = driver.find_element(By.CSS_SELECTOR, "#times .choice")
        with new_page(driver):
            first_time.click()
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "details-form"))
        assert "確保しています" in driver.find_element(By.ID, "reserve-notice").text  # the time is held while the form is filled in
        booked_when = driver.find_element(By.ID, "summary-date").text
        driver.find_element(By.ID, "phone").send_keys("090-1234-5678")
        driver.find_element(By.ID, "email").send_keys("hanako@example.jp")
        driver.find_element(By.ID, "password").send_keys("2468")
        with new_page(driver):
            driver.find_element(By.ID, "password-again").send_keys("2468" + Keys.ENTER)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "confirm-form"))
        assert "NRM10003" in driver.find_element(By.ID, "confirm-form").text
        assert axe_violations(driver) == []
        with new_page(driver):
            driver.find_element(By.ID, "book-button").click()
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "booking-code"))
        code = driver.find_element(By.ID, "booking-code").text
        assert re.fullmatch(r"R[A-Z0-9]{7}", code)
        assert axe_violations(driver) == []

        mail = inbox.wait_for(1)[0]
        assert mail["To"] == "hanako@example.jp"
        assert "【予約完了】マイナンバーカードの受け取り" in mail["Subject"]
        body = mail.get_body(preferencelist=("plain",)).get_content()
        assert code in body and "練馬区民事務所" in body and booked_when.split(" ")[-1] in body
        assert "/reserve/manage" in body

        # The same ID cannot hold a second booking.
        answer = requests.post(server.base + "/api/v1/reservations", timeout=10, json={
            "procedure": "mynumber-card", "office": "nerima", "start": "2027-01-05T09:00", "reservationId": "NRM10003",
            "phone": "0312345678", "email": "x@example.jp", "password": "1111"})
        assert answer.status_code in (409, 422) and answer.json()["error"]["code"] in ("id_already_booked", "outside_window")

        # Change: sign in to the booking with the code and password, choose another day and time.
        driver.get(server.base + "/reserve/manage?lang=ja")
        driver.find_element(By.ID, "manage-key").send_keys(code)
        with new_page(driver):
            driver.find_element(By.ID, "manage-password").send_keys("2468" + Keys.ENTER)
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "managed-code"))
        assert driver.find_element(By.ID, "managed-code").text == code
        assert axe_violations(driver) == []
        with new_page(driver):
            driver.find_element(By.ID, "change-link").click()
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "calendar"))
        open_a_bookable_day(driver)
        times = driver.find_elements(By.CSS_SELECTOR, "#times a.choice")
        with new_page(driver):
            times[-1].click()
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "change-form"))
        new_when = driver.find_element(By.ID, "summary-date").text
        # the change shows the old time beside the new one
        assert driver.find_element(By.ID, "summary-previous").text == booked_when
        with new_page(driver):
            driver.find_element(By.ID, "change-button").click()
        wait_text(driver, "reserve-notice", "変更しました")
        assert driver.find_element(By.ID, "summary-date").text == new_when
        changed = inbox.wait_for(2)[1]
        assert "【予約変更】" in changed["Subject"] and new_when.split(" ")[-1] in changed["Subject"]

        # What to bring and a calendar file are offered with the booking (issue 15, item 15).
        assert "交付通知書" in driver.find_element(By.ID, "bring").text
        ics = requests.get(driver.find_element(By.ID, "calendar-link").get_attribute("href"), timeout=10)
        assert ics.headers["Content-Type"].startswith("text/calendar") and "BEGIN:VEVENT" in ics.text and code in ics.text

        # Cancel: asked once more; "keep" changes nothing.
        with new_page(driver):
            driver.find_element(By.ID, "cancel-button").click()
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "cancel-confirm-button"))
        assert axe_violations(driver) == []
        with new_page(driver):
            driver.find_element(By.ID, "keep-booking").click()
        WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "managed-code"))
        with new_page(driver):
            driver.find_element(By.ID, "cancel-button").click()
        with new_page(driver):
            driver.find_element(By.ID, "cancel-confirm-button").click()
        wait_text(driver, "reserve-notice", "取り消しました")
        cancelled = inbox.wait_for(3)[2]
        assert "【予約取消】" in cancelled["Subject"] and code in cancelled.get_body(preferencelist=("plain",)).get_content()

        # Staff see it as history with its reason; the ID is free again.
        staff = server.sign_in("reservations")
        listed = staff.get(server.base + "/api/v1/staff/reservations", params={"q": code, "from": "2026-01-01", "to": "2030-12-31"}, timeout=10).json()
        assert [(r["code"], r["status"], r["cancelReason"]) for r in listed["reservations"]] == [(code, "cancelled", "ご本人によるウェブでの取消")]

        # The site speaks English too.
        driver.get(server.base + "/reserve?lang=en")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Counter reservations"
        assert driver.find_element(By.TAG_NAME, "html").get_attribute("lang") == "en"
    finally:
        smtp.stop()


def test_the_city_imports_an_id_file_from_the_command_line_all_or_nothing(workdir, servers):
    database = f"sqlite://{workdir}/ids.sqlite"
    assert run_cli("demo", "--database", database, cwd=workdir).returncode == 0
    bad = workdir / "bad.csv"
    bad.write_bytes("予約番号,窓口コード,生年月日\nABCD1234,1201,1990-01-01\nTOOSHORT1,1201\nEFGH5678,9999\n".encode("shift_jis"))
    refused = run_cli("reservations", "import-ids", str(bad), "--database", database, cwd=workdir)
    assert refused.returncode != 0
    assert "3行1列" in refused.stderr and "4行2列" in refused.stderr and "何も登録していません" in refused.stderr
    good = workdir / "good.csv"
    good.write_bytes("予約番号,窓口コード,生年月日\r\nABCD1234,1201,1990-01-01\r\nNRM10003,1202\r\n".encode("shift_jis"))
    imported = run_cli("reservations", "import-ids", str(good), "--database", database, cwd=workdir)
    assert imported.returncode == 0, imported.stderr
    assert "追加 1 件、更新 1 件" in imported.stdout

    # The server reads the sealed date of birth with the same key file; the ID now belongs to 光が丘 (1202).
    server = servers("--database", database, cwd=workdir)
    days = requests.get(server.base + "/api/v1/reservations/availability", timeout=10,
                        params={"procedure": "mynumber-card", "office": "nerima", "month": datetime.datetime.now(TOKYO).strftime("%Y-%m")}).json()["days"]
    later = datetime.datetime.now(TOKYO) + datetime.timedelta(days=31)
    days += requests.get(server.base + "/api/v1/reservations/availability", timeout=10,
                         params={"procedure": "mynumber-card", "office": "nerima", "month": later.strftime("%Y-%m")}).json()["days"]
    day = next(d["date"] for d in days if d["mark"] != "×" and datetime.date.fromisoformat(d["date"]).weekday() < 5)
    booking = {"procedure": "mynumber-card", "office": "nerima", "start": f"{day}T09:00", "phone": "0312345678",
               "email": "a@example.jp", "password": "1234", "reservationId": "ABCD1234"}
    assert requests.post(server.base + "/api/v1/reservations", json={**booking, "birthDate": "1990-01-02"}, timeout=10).json()["error"]["code"] == "unknown_id"  # answered as an unknown ID: no oracle
    assert requests.post(server.base + "/api/v1/reservations", json={**booking, "birthDate": "1990-01-01"}, timeout=10).status_code == 201
    moved = requests.post(server.base + "/api/v1/reservations", json={**booking, "reservationId": "NRM10003"}, timeout=10)
    assert moved.json()["error"]["code"] == "wrong_office"


def test_staff_book_for_a_caller_check_the_visitor_in_and_the_ticket_is_called_first(workdir, servers, browsers):
    server = servers("--demo", cwd=workdir)
    admin = server.sign_in("admin")
    now = datetime.datetime.now(TOKYO)
    today = now.date().isoformat()
    # Whatever day the test runs on, today gets consultation slots from now to midnight (a special opening day).
    start_minute = (now.hour * 60 + now.minute) // 5 * 5
    document = configuration(admin, server.base)
    add_override(document, "moving-consultation", {
        "officeID": "nerima", "date": today,
        "bands": [{"officeID": "nerima", "weekdays": [], "from": start_minute, "until": 1440, "slotMinutes": 5, "capacity": 2}]})
    put_configuration(admin, server.base, document)

    # Two visitors without a booking are already waiting for 住民異動届.
    for _ in range(2):
        assert requests.post(server.base + "/api/v1/offices/nerima/tickets", json={"service": "nerima-juki"}, timeout=10).status_code == 201

    driver = browsers()
    sign_in(driver, server.base, "/staff/reservations", login="reservations")
    assert axe_violations(driver) == []
    with new_page(driver):
        driver.find_element(By.ID, "new-reservation").click()
    driver.find_element(By.CSS_SELECTOR, "#procedure option[value=moving-consultation]").click()
    date = driver.find_element(By.ID, "date")
    date.clear()
    with new_page(driver):
        date.send_keys(today + Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "new-form"))
    assert axe_violations(driver) == []
    slot = next(radio for radio in driver.find_elements(By.CSS_SELECTOR, "#new-form input[name=start]") if radio.is_enabled())
    slot.click()
    with new_page(driver):
        driver.find_element(By.ID, "phone").send_keys("03-3993-1111" + Keys.ENTER)
    code = re.search(r"予約 (R[A-Z0-9]{7})", wait_text(driver, "reservations-notice", "登録しました")).group(1)

    # 消し込み: the check-in button issues a priority ticket.
    row = driver.find_element(By.CSS_SELECTOR, f"tr[data-code='{code}']")
    with new_page(driver):
        row.find_element(By.XPATH, ".//button[text()='受付']").click()
    notice = wait_text(driver, "reservations-notice", "優先")
    number = re.search(r"番号札 ([A-Z]\d+)（優先）", notice).group(1)
    assert driver.find_element(By.CSS_SELECTOR, f"tr[data-code='{code}'] .status-checked_in").text == "受付済"

    # The counter calls next: the booked visitor comes first.
    clerk = server.sign_in("nerima-staff")
    assert clerk.post(server.base + "/api/v1/counters/nerima-1/open", timeout=10).status_code in (200, 204)
    called = clerk.post(server.base + "/api/v1/counters/nerima-1/call-next", timeout=10)
    assert called.status_code == 200, called.text
    assert called.json()["displayNumber"] == number and called.json()["priority"] is True

    # Counter staff see today's check-in list, without contact data.
    staff_list = clerk.get(server.base + "/staff/reservations", timeout=10).text
    assert code in staff_list and "03-3993-1111" not in staff_list and "0339931111" not in staff_list


def test_a_thousand_bookings_on_sqlite_confirm_exactly_fifty(workdir, servers):
    server = servers("--demo", cwd=workdir)
    burst_of_a_thousand_on_fifty_seats([server])


def test_a_thousand_bookings_on_two_instances_on_postgresql_confirm_exactly_fifty(postgres_database, servers):
    assert run_cli("migrate", "--database", postgres_database).returncode == 0
    assert run_cli("demo", "--database", postgres_database).returncode == 0
    burst_of_a_thousand_on_fifty_seats([servers("--database", postgres_database), servers("--database", postgres_database)])


def burst_of_a_thousand_on_fifty_seats(instances):
    """1,000 simultaneous bookings of one 50-seat slot, spread over the instances: exactly 50 confirmed."""
    a, b = instances[0], instances[-1]
    admin = a.sign_in("admin")
    # A bookable day in the window, given one slot of 50 seats.
    month = datetime.datetime.now(TOKYO).strftime("%Y-%m")
    days = []
    for _ in range(2):
        answer = requests.get(a.base + "/api/v1/reservations/availability",
                              params={"procedure": "moving-consultation", "office": "nerima", "month": month}, timeout=10).json()
        days += [d["date"] for d in answer["days"] if d["mark"] != "×"]
        year, number = map(int, month.split("-"))
        month = f"{year + number // 12}-{number % 12 + 1:02d}"
    day = days[0]
    document = configuration(admin, a.base)
    add_override(document, "moving-consultation", {
        "officeID": "nerima", "date": day,
        "bands": [{"officeID": "nerima", "weekdays": [], "from": 600, "until": 630, "slotMinutes": 30, "capacity": 50}]})
    put_configuration(admin, a.base, document)
    # Both instances offer the new slot (the other one reloads on the configuration event).
    def slots_of(server):
        return requests.get(server.base + "/api/v1/reservations/availability",
                            params={"procedure": "moving-consultation", "office": "nerima", "date": day}, timeout=10).json()["slots"]
    for server in instances:
        WebDriverWait(server, 10, poll_frequency=0.1).until(lambda s: [slot["start"][11:16] for slot in slots_of(s)] == ["10:00"])

    def book(i):
        base = instances[i % len(instances)].base
        answer = requests.post(base + "/api/v1/reservations", timeout=60, json={
            "procedure": "moving-consultation", "office": "nerima", "start": f"{day}T10:00", "phone": f"090{i:08d}",
            "email": f"visitor{i}@example.jp", "password": "1234"})
        return answer.status_code, answer.json().get("error", {}).get("code") if answer.status_code != 201 else answer.json()["code"]

    with ThreadPoolExecutor(max_workers=48) as pool:
        results = list(pool.map(book, range(1000)))
    statuses = [status for status, _ in results]
    assert statuses.count(201) == 50
    assert statuses.count(409) == 950 and {code for status, code in results if status == 409} == {"slot_full"}
    assert len({code for status, code in results if status == 201}) == 50
    slots = requests.get(b.base + "/api/v1/reservations/availability",
                         params={"procedure": "moving-consultation", "office": "nerima", "date": day}, timeout=10).json()["slots"]
    assert [s["mark"] for s in slots] == ["×"]


def test_birth_dates_as_people_write_them_and_every_fault_beside_its_field(workdir, servers, browsers):
    """Issue 15, items 14 and 16: an impossible date is "not a date" (not "does not match"), every fault shows at
    once beside its field with a summary on top, what was typed stays, and 昭和27年11月3日 is accepted."""
    server = servers("--demo", cwd=workdir)
    driver = browsers()
    driver.set_window_size(390, 844)
    driver.get(server.base + "/reserve?lang=ja")
    with new_page(driver):
        driver.find_element(By.LINK_TEXT, "マイナンバーカードの受け取り").click()
    with new_page(driver):
        driver.find_element(By.ID, "reservation-id").send_keys("HKR20002" + Keys.ENTER)  # registered with 1952-11-03
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "calendar"))
    open_a_bookable_day(driver)
    with new_page(driver):
        driver.find_element(By.CSS_SELECTOR, "#times .choice").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "details-form"))

    driver.find_element(By.ID, "birth-date").send_keys("1985-13-45")
    driver.find_element(By.ID, "phone").send_keys("12")
    driver.find_element(By.ID, "email").send_keys("hanako@")
    driver.find_element(By.ID, "password").send_keys("2468")
    with new_page(driver):
        driver.find_element(By.ID, "password-again").send_keys("1357" + Keys.ENTER)
    faults = [a.get_attribute("data-field") for a in driver.find_elements(By.CSS_SELECTOR, "#reserve-faults a")]
    assert faults == ["birthDate", "phone", "email", "passwordAgain"], faults
    assert "日付として読み取れません" in driver.find_element(By.ID, "birth-date-error").text
    assert "一致しません" not in driver.find_element(By.ID, "birth-date-error").text
    assert driver.find_element(By.ID, "phone-error").is_displayed() and driver.find_element(By.ID, "email-error").is_displayed()
    assert driver.find_element(By.ID, "birth-date").get_attribute("value") == "1985-13-45"  # nothing typed is lost
    assert driver.find_element(By.ID, "phone").get_attribute("value") == "12"
    assert driver.find_element(By.ID, "birth-date").get_attribute("aria-invalid") == "true"
    assert axe_violations(driver) == []

    # 和暦 as older visitors write it: accepted and matched against the registered date
    for field, text in [("birth-date", "昭和27年11月3日"), ("phone", "03-3993-1111"), ("email", "hanako@example.jp")]:
        box = driver.find_element(By.ID, field)
        box.clear()
        box.send_keys(text)
    driver.find_element(By.ID, "password").send_keys("2468")
    with new_page(driver):
        driver.find_element(By.ID, "password-again").send_keys("2468" + Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "confirm-form"))
    with new_page(driver):
        driver.find_element(By.ID, "book-button").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "booking-code"))
    # Item 15: on a 390 px phone the booking code is whole on screen and the page never scrolls sideways.
    fits = driver.execute_script("""
        const code = document.getElementById("booking-code").getBoundingClientRect();
        return {left: code.left, right: code.right, width: window.innerWidth,
                scroll: document.documentElement.scrollWidth};""")
    assert fits["left"] >= 0 and fits["right"] <= fits["width"], fits
    assert fits["scroll"] <= fits["width"], fits
    screenshot(driver, "booking-confirmation-390")

"""The public pages residents open on their phones (W1–W3), in a real browser: live figures, steering to the
quietest office, the ticket's own page counting down, languages, accessibility."""
import pytest
import requests
from selenium.webdriver.common.by import By
from selenium.webdriver.support.ui import Select, WebDriverWait

from browser import axe_violations, chromium, screenshot


@pytest.fixture
def phone():
    driver = chromium()
    driver.set_window_size(390, 844)
    yield driver
    driver.quit()


def live(driver):
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.TAG_NAME, "main").get_attribute("data-live") == "open")


def field(driver, scope, name):
    return driver.find_element(By.CSS_SELECTOR, f'{scope} [data-field="{name}"]').text


def test_the_front_page_ranks_offices_for_a_procedure_and_follows_the_queues_live(workdir, servers, phone):
    server = servers("--demo", cwd=workdir)
    for _ in range(3):
        requests.post(server.base + "/api/v1/offices/seki/tickets", json={"service": "seki-juki"})
    phone.get(server.base + "/?lang=ja")
    Select(phone.find_element(By.ID, "procedure")).select_by_value("juki")
    phone.find_element(By.CSS_SELECTOR, ".procedure-form button").click()
    WebDriverWait(phone, 5).until(lambda d: "procedure=juki" in d.current_url)
    live(phone)
    ranked = [li.get_attribute("data-office") for li in phone.find_elements(By.CSS_SELECTOR, "#ranking li")]
    assert set(ranked) == {"nerima", "hikarigaoka", "shakujii", "oizumi", "hayamiya", "seki"}
    assert ranked[-1] == "seki"  # three people wait there, nobody elsewhere
    assert phone.find_element(By.ID, "recommendation").text.startswith("このお手続きは")
    assert field(phone, 'section.office-card[data-office="seki"] tr[data-service="seki-juki"]', "waiting") == "3人"

    # a busy morning at 光が丘 sends it down the list, live
    for _ in range(5):
        requests.post(server.base + "/api/v1/offices/hikarigaoka/tickets", json={"service": "hikarigaoka-juki"})
    cell = 'section.office-card[data-office="hikarigaoka"] tr[data-service="hikarigaoka-juki"]'
    WebDriverWait(phone, 2).until(lambda d: field(d, cell, "waiting") == "5人")
    WebDriverWait(phone, 2).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#ranking li")[-1].get_attribute("data-office") == "hikarigaoka")
    assert phone.find_element(By.ID, "last-updated").text != ""


def test_the_office_page_and_the_ticket_page_follow_the_queue_until_the_number_has_passed(workdir, servers, phone):
    server = servers("--demo", cwd=workdir)
    first = requests.post(server.base + "/api/v1/offices/seki/tickets", json={"service": "seki-shomei"}).json()
    mine = requests.post(server.base + "/api/v1/offices/seki/tickets", json={"service": "seki-shomei"}).json()
    phone.get(server.base + f"/t/{mine['token']}?lang=ja")
    live(phone)
    assert phone.find_element(By.ID, "ticket-number").text == mine["displayNumber"]
    assert phone.find_element(By.ID, "people-ahead").text == "1人"

    staff = server.sign_in()
    assert staff.post(server.base + "/api/v1/counters/seki-1/call-next").json()["id"] == first["id"]
    WebDriverWait(phone, 2).until(lambda d: d.find_element(By.ID, "people-ahead").text == "0人")
    assert staff.post(server.base + "/api/v1/counters/seki-1/call-next").json()["id"] == mine["id"]
    WebDriverWait(phone, 2).until(lambda d: d.find_element(By.ID, "state-message").get_attribute("data-state") == "called")
    assert "1番窓口" in phone.find_element(By.ID, "state-message").text
    assert not phone.find_element(By.ID, "people-ahead").is_displayed()
    staff.post(server.base + "/api/v1/counters/seki-1/absent")
    WebDriverWait(phone, 2).until(lambda d: d.find_element(By.ID, "state-message").text == "番号が過ぎました。職員にお声がけください")

    phone.get(server.base + "/offices/seki?lang=ja")
    live(phone)
    requests.post(server.base + "/api/v1/offices/seki/tickets", json={"service": "seki-juki"})
    WebDriverWait(phone, 2).until(lambda d: field(d, 'section[data-service="seki-juki"]', "waiting") == "1人")
    assert field(phone, 'section[data-service="seki-juki"]', "later") == "交付 0人"


def test_the_public_pages_speak_four_languages_and_have_no_accessibility_violations(workdir, servers, phone):
    server = servers("--demo", cwd=workdir)
    ticket = requests.post(server.base + "/api/v1/offices/nerima/tickets", json={"service": "nerima-juki"}).json()
    for lang, title in [("ja", "窓口の待ち状況"), ("en", "Waiting times at the city offices"), ("zh-Hans", "窗口等候情况"), ("ko", "창구 대기 현황")]:
        for shot, page in zip(["home", "procedure", "office", "ticket"], ["/", "/?procedure=juki", "/offices/nerima", f"/t/{ticket['token']}"]):
            phone.get(f"{server.base}{page}{'&' if '?' in page else '?'}lang={lang}")
            assert phone.find_element(By.TAG_NAME, "html").get_attribute("lang") == lang
            assert title in phone.find_element(By.CSS_SELECTOR, ".site").text
            assert axe_violations(phone) == [], f"{page} in {lang}"
            if lang == "en":
                screenshot(phone, f"phone-en-{shot}")
    # without ?lang the browser's language decides
    answer = requests.get(server.base + "/", headers={"Accept-Language": "ko-KR,ko;q=0.9"})
    assert '<html lang="ko">' in answer.text


def test_a_browser_asking_for_a_missing_ticket_gets_a_page_and_the_api_keeps_json(workdir, servers):
    server = servers("--demo", cwd=workdir)
    page = requests.get(server.base + "/t/no-such-ticket", headers={"Accept": "text/html"})
    assert page.status_code == 404 and page.headers["Content-Type"].startswith("text/html")
    assert "番号札は見つかりません" in page.text and 'href="/?lang=ja"' in page.text
    # in the visitor's language, saying why (issue 15, item 13)
    english = requests.get(server.base + "/t/no-such-ticket?lang=en", headers={"Accept": "text/html"})
    assert english.status_code == 404 and "valid only on the day it was issued" in english.text and 'href="/?lang=en"' in english.text
    api = requests.get(server.base + "/api/v1/tickets/no-such-ticket", headers={"Accept": "text/html"})
    assert api.status_code == 404 and api.json()["error"]["code"] == "ticket_not_found"

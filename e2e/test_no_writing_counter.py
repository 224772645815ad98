"""The no-writing counter end to end: a clerk of the demo city types a two-person 転入 (one Japanese, one foreign
resident) with the keyboard only in chromium, completes it, prints the 住民異動届 and two related forms (pdftotext
reads every value back, pdffonts shows IPAmj Mincho), and finds the case again by kana; an administrator sees the
personal numbers masked; the resident-records export substitutes and reports the character outside JIS X 0208."""
from selenium.common.exceptions import StaleElementReferenceException
import datetime
import subprocess
from zoneinfo import ZoneInfo

import requests
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import WebDriverWait

from browser import axe_violations, sign_in
from conftest import run_cli

TOKYO = ZoneInfo("Asia/Tokyo")


def active_id(driver) -> str:
    return driver.execute_script("return document.activeElement ? document.activeElement.id : ''")


def keys(driver, *sequence):
    ActionChains(driver).send_keys(*sequence).perform()


def tab_to(driver, element_id: str, limit: int = 60, back: bool = False):
    """Moves the focus with Tab (Shift+Tab going back) only, as a clerk would, until it reaches the element."""
    for _ in range(limit):
        if active_id(driver) == element_id:
            return
        if back:
            ActionChains(driver).key_down(Keys.SHIFT).send_keys(Keys.TAB).key_up(Keys.SHIFT).perform()
        else:
            keys(driver, Keys.TAB)
    raise AssertionError(f"Tab never reached #{element_id} (stuck at #{active_id(driver)})")


def type_into(driver, element_id: str, text: str, replace: bool = True):
    tab_to(driver, element_id)
    if replace:
        ActionChains(driver).key_down(Keys.CONTROL).send_keys("a").key_up(Keys.CONTROL).perform()
        keys(driver, Keys.DELETE)
    keys(driver, text)


def wait_checked(driver, since: str | None):
    """The live check has answered for the form as it stands now."""
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.TAG_NAME, "main").get_attribute("data-checked") not in (None, since))
    return driver.find_element(By.TAG_NAME, "main").get_attribute("data-checked")


def browser_session(driver, base) -> requests.Session:
    session = requests.Session()
    for cookie in driver.get_cookies():
        session.cookies.set(cookie["name"], cookie["value"])
    return session


def pdf_text_and_fonts(pdf: bytes, workdir, name: str) -> tuple[str, str]:
    path = workdir / name
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, text=True, check=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True, check=True).stdout
    return text.replace(" ", ""), fonts


def test_a_clerk_types_a_mixed_household_move_in_by_keyboard_prints_it_and_finds_it_by_kana(workdir, servers, browsers):
    server = servers("--demo", cwd=workdir)
    driver = browsers()
    sign_in(driver, server.base, "/staff/forms")
    assert axe_violations(driver) == []
    today = datetime.datetime.now(TOKYO).date()
    moved = (today - datetime.timedelta(days=3)).isoformat()
    expiry = (today + datetime.timedelta(days=3 * 365)).isoformat()

    # Open a 転入（通常） case (the default choice) with Tab and Enter.
    tab_to(driver, "open-case")
    keys(driver, Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: "/staff/forms/" in d.current_url and active_id(d) == "f-movingDate")
    case_id = driver.find_element(By.TAG_NAME, "main").get_attribute("data-case")

    type_into(driver, "f-movingDate", moved)
    type_into(driver, "f-householder", "髙橋　一郎")
    type_into(driver, "f-newAddress", "")
    # F4 opens the address helper: the first characters (K3 j) 東 / 練 / 豊玉 → 東京都練馬区豊玉北, then the rest typed on.
    keys(driver, Keys.F4)
    WebDriverWait(driver, 5).until(lambda d: active_id(d) == "helper-prefecture")
    keys(driver, "東", Keys.TAB, "練", Keys.TAB, "豊玉", Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#address-results button"))
    assert "東京都練馬区豊玉北" in driver.find_element(By.CSS_SELECTOR, "#address-results button").text
    WebDriverWait(driver, 5).until(lambda d: d.execute_script("return document.activeElement.closest('#address-results') !== null"))
    keys(driver, Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: active_id(d) == "f-newAddress")
    keys(driver, "六丁目12番1号")
    assert driver.find_element(By.ID, "f-newAddress").get_attribute("value") == "東京都練馬区豊玉北六丁目12番1号"
    type_into(driver, "f-previousAddress", "埼玉県さいたま市浦和区高砂三丁目1番1号")

    type_into(driver, "p0-familyName", "髙橋")
    type_into(driver, "p0-givenName", "一郎")
    type_into(driver, "p0-familyNameKana", "たかはし")
    type_into(driver, "p0-givenNameKana", "いちろう")
    type_into(driver, "p0-birthDate", "S60.4.12")
    type_into(driver, "p0-myNumber", "123456789012")  # a wrong check digit first
    checked = wait_checked(driver, None)
    WebDriverWait(driver, 10).until(lambda d: "検査用数字" in d.find_element(By.ID, "err-p0-myNumber").text)
    assert driver.find_element(By.ID, "p0-myNumber").get_attribute("aria-invalid") == "true"
    type_into(driver, "p0-myNumber", "123456789018")
    type_into(driver, "p0-honseki", "東京都練馬区豊玉北六丁目12番")
    type_into(driver, "p0-headOfRegistry", "髙橋　一郎")
    checked = wait_checked(driver, checked)
    WebDriverWait(driver, 10).until(lambda d: d.find_element(By.ID, "err-p0-myNumber").text == "")
    # The preview in the official layout shows what was typed, and its values lead back to their inputs (K3 d).
    assert "髙橋" in driver.find_element(By.ID, "form-preview").text
    assert "昭和60年4月12日" in driver.find_element(By.ID, "hint-p0-birthDate").text
    # The live check redraws the preview, which can replace the link between finding and clicking it: find it anew.
    WebDriverWait(driver, 10, ignored_exceptions=[StaleElementReferenceException]).until(
        lambda d: d.find_element(By.CSS_SELECTOR, "#form-preview a.form-value[data-input='p0-birthDate']").click() or True
    )
    assert active_id(driver) == "p0-birthDate"

    # Alt+P adds the spouse, offered the household's family name; she is a foreign resident.
    ActionChains(driver).key_down(Keys.ALT).send_keys("p").key_up(Keys.ALT).perform()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "p1-givenName") and active_id(d) == "p1-givenName")
    assert driver.find_element(By.ID, "p1-familyName").get_attribute("value") == "髙橋"
    assert driver.find_element(By.ID, "p0-honseki").get_attribute("value") == "東京都練馬区豊玉北六丁目12番"  # saved on the way
    tab_to(driver, "p1-kind", back=True)
    keys(driver, Keys.ARROW_DOWN)  # 日本人 → 外国人住民
    WebDriverWait(driver, 5).until(lambda d: not d.find_element(By.ID, "p1-nationality").get_attribute("disabled"))
    assert driver.find_element(By.ID, "p1-honseki").get_attribute("disabled")  # 本籍 cannot be given to a foreign resident
    tab_to(driver, "p1-familyName")
    type_into(driver, "p1-familyName", "GARCIA")
    type_into(driver, "p1-givenName", "MARIA")
    type_into(driver, "p1-familyNameKana", "がるしあ")
    type_into(driver, "p1-givenNameKana", "まりあ")
    type_into(driver, "p1-birthDate", "1990-07-01")
    type_into(driver, "p1-relationship", "妻")
    type_into(driver, "p1-nationality", "フィリピン")
    type_into(driver, "p1-status", "日本人の配偶者等")
    type_into(driver, "p1-periodCode", "0300000")
    type_into(driver, "p1-expiryDate", expiry)
    type_into(driver, "p1-cardNumber", "ab12345678cd")
    checked = wait_checked(driver, None)
    WebDriverWait(driver, 10).until(lambda d: "3年" in d.find_element(By.ID, "hint-p1-periodCode").text)
    WebDriverWait(driver, 10).until(lambda d: "誤り" not in d.find_element(By.ID, "fault-summary").text)
    assert axe_violations(driver) == []

    # A remark phrase from the city's list; printing a draft saves what was typed first.
    tab_to(driver, "f-phrase")
    keys(driver, Keys.ARROW_DOWN)
    WebDriverWait(driver, 5).until(lambda d: d.find_element(By.ID, "f-remarks").get_attribute("value") == "転出証明書を確認済み。")
    main_window = driver.current_window_handle
    tab_to(driver, "print-case")
    keys(driver, Keys.ENTER)
    staff_api = browser_session(driver, server.base)
    WebDriverWait(driver, 10).until(
        lambda d: staff_api.get(f"{server.base}/api/v1/cases/{case_id}", timeout=10).json()["case"]["remarks"] == "転出証明書を確認済み。")
    assert staff_api.get(f"{server.base}/api/v1/cases/{case_id}", timeout=10).json()["case"]["persons"][1]["foreign"]["cardNumber"] == "AB12345678CD"
    driver.switch_to.window(main_window)

    # The 転出証明書 scanned as PNG goes with the case; a text file is refused by its bytes, whatever its name.
    scan = workdir / "tenshutsu.png"
    scan.write_bytes(bytes([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]) + b"\x00" * 32)
    fake = workdir / "fake.pdf"
    fake.write_text("not a pdf")
    driver.find_element(By.ID, "attachment-file").send_keys(str(fake))
    driver.find_element(By.ID, "attachment-upload").click()
    WebDriverWait(driver, 10).until(lambda d: "PDF、JPEG、PNG" in d.find_element(By.ID, "attachment-message").text)
    driver.find_element(By.ID, "attachment-file").send_keys(str(scan))
    driver.find_element(By.ID, "attachment-upload").click()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, "#attachments a"))
    assert driver.find_element(By.CSS_SELECTOR, "#attachments a").text == "tenshutsu.png"
    assert driver.find_element(By.ID, "p1-cardNumber").get_attribute("value") == "ab12345678cd"  # nothing typed is lost
    attachment = browser_session(driver, server.base).get(driver.find_element(By.CSS_SELECTOR, "#attachments a").get_attribute("href"), timeout=10)
    assert attachment.headers["content-type"] == "image/png" and attachment.content == scan.read_bytes()

    # Ctrl+Enter saves, Alt+K completes: the 住民異動届 is stored as PDF.
    ActionChains(driver).key_down(Keys.CONTROL).send_keys(Keys.ENTER).key_up(Keys.CONTROL).perform()
    WebDriverWait(driver, 10).until(lambda d: "保存しました" in d.find_element(By.ID, "form-notice").text)
    ActionChains(driver).key_down(Keys.ALT).send_keys("k").key_up(Keys.ALT).perform()
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "form-notice") and "完了" in d.find_element(By.ID, "form-notice").text)
    assert "完了" in driver.find_element(By.ID, "case-status").text
    assert not driver.find_elements(By.ID, "save-case")  # a completed case is a record

    # Print the 住民異動届 with two related forms, chosen on the page.
    for form in ["juminhyo-request", "kokuho"]:
        tab_to(driver, f"print-{form}")
        keys(driver, Keys.SPACE)
    query = driver.execute_script("return new URLSearchParams(new FormData(document.getElementById('print-form'))).toString()")
    assert query == "form=jumin-ido&form=juminhyo-request&form=kokuho"
    staff = browser_session(driver, server.base)
    printed = staff.get(f"{server.base}/staff/forms/{case_id}/print?{query}", timeout=30)
    assert printed.status_code == 200 and printed.headers["content-type"] == "application/pdf"
    text, fonts = pdf_text_and_fonts(printed.content, workdir, "printed.pdf")
    for value in ["住民異動届", "住民票の写し等交付請求書", "国民健康保険の届出書", "髙橋", "一郎", "たかはし", "GARCIA", "MARIA", "がるしあ",
                  "昭和60年4月12日", "1990-07-01", "東京都練馬区豊玉北六丁目12番1号", "埼玉県さいたま市浦和区高砂三丁目1番1号", "東京都練馬区豊玉北六丁目12番",
                  "フィリピン", "中長期在留者", "日本人の配偶者等", "3年", "AB12345678CD", "123456789018", "世帯主", "妻"]:
        assert value in text, f"{value} missing from the PDF"
    assert "IPAmjMincho" in fonts

    # Found again by kana (katakana finds hiragana too), from the list's search field.
    driver.get(server.base + "/staff/forms")
    type_into(driver, "q", "ガルシア")
    keys(driver, Keys.ENTER)
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.CSS_SELECTOR, f"#cases-table tr[data-case='{case_id}']"))
    row = driver.find_element(By.CSS_SELECTOR, f"#cases-table tr[data-case='{case_id}']").text
    assert "髙橋一郎" in row and "完了" in row
    assert axe_violations(driver) == []

    # An administrator reads the case with the personal numbers masked, in the API and in the stored PDF.
    admin = server.sign_in("admin")
    shown = admin.get(f"{server.base}/api/v1/cases/{case_id}", timeout=10).json()["case"]
    assert shown["persons"][0]["identity"]["myNumber"] == "＊＊＊＊"
    assert shown["persons"][1]["foreign"]["cardNumber"] == "＊＊＊＊"
    assert shown["persons"][1]["identity"]["familyName"] == "GARCIA"
    masked_text, _ = pdf_text_and_fonts(admin.get(f"{server.base}/api/v1/cases/{case_id}/pdf", timeout=30).content, workdir, "masked.pdf")
    assert "123456789018" not in masked_text and "AB12345678CD" not in masked_text and "＊＊＊＊" in masked_text and "GARCIA" in masked_text
    original_text, _ = pdf_text_and_fonts(staff.get(f"{server.base}/api/v1/cases/{case_id}/pdf", timeout=30).content, workdir, "original.pdf")
    assert "123456789018" in original_text
    assert admin.get(f"{server.base}/api/v1/cases/export?from={today}&to={today}", timeout=10).status_code == 403

    # The office manager hands the case to the core system: 髙 is outside JIS X 0208, substituted and reported.
    manager = server.sign_in("nerima-manager")
    exported = manager.get(f"{server.base}/api/v1/cases/export", params={"from": today.isoformat(), "to": today.isoformat(), "encoding": "shift_jis"}, timeout=10)
    assert exported.status_code == 200 and "Shift_JIS" in exported.headers["content-type"]
    lines = exported.content.decode("cp932").splitlines()
    assert lines[0].startswith("受付番号,")
    assert len(lines) == 3  # a header and one row per person
    first = lines[1].split(",")
    assert first[0] == case_id and first[8] == "高橋"
    assert first[-1] == "familyName:U+9AD9→高 householder:U+9AD9→高 headOfRegistry:U+9AD9→高"
    assert int(exported.headers["x-madoguchi-outside-jis"]) >= 4  # 氏, 世帯主, 筆頭者 of the householder; 世帯主 of the spouse

    # The same hand-off from the command line, the report on standard error.
    cli = run_cli("cases", "export", "--from", today.isoformat(), "--to", today.isoformat(), "--encoding", "utf-8", cwd=workdir)
    assert cli.returncode == 0, cli.stderr
    assert cli.stdout.splitlines()[1].split(",")[8] == "髙橋"
    assert "JIS第1・第2水準外の文字 4 件" in cli.stderr and "髙（U+9AD9）" in cli.stderr

    # Every view and print was audited.
    audit = admin.get(f"{server.base}/api/v1/audit", params={"from": today.isoformat(), "to": today.isoformat()}, timeout=10).json()
    actions = {(e["action"], e["actor"]) for e in audit["entries"] if e["target"] == case_id}
    assert {("case.created", "nerima-staff"), ("case.completed", "nerima-staff"), ("case.printed", "nerima-staff"), ("case.viewed", "admin"),
            ("case.printed", "admin")} <= actions


def test_forms_sample_renders_a_filled_form_from_the_command_line(workdir):
    out = workdir / "sample.pdf"
    made = run_cli("forms", "sample", "--form", "jumin-ido", "--form", "tenko", "--out", str(out), cwd=workdir)
    assert made.returncode == 0, made.stderr
    text, fonts = pdf_text_and_fonts(out.read_bytes(), workdir, "sample-copy.pdf")
    assert "住民異動届" in text and "転校の届出" in text and "髙橋" in text and "GARCIA" in text and "IPAmjMincho" in fonts
    unknown = run_cli("forms", "sample", "--form", "nonexistent", "--out", str(workdir / "x.pdf"), cwd=workdir)
    assert unknown.returncode != 0 and "帳票「nonexistent」はありません" in unknown.stderr


def test_an_office_manager_keeps_the_remark_phrases_and_reads_the_reception_report(workdir, servers, browsers):
    server = servers("--demo", cwd=workdir)
    assert "/staff/forms" in server.output()
    clerk = server.sign_in("nerima-staff")
    opened = clerk.post(f"{server.base}/api/v1/cases", json={"office": "nerima", "procedure": "move_out"}, timeout=10)
    assert opened.status_code == 201
    driver = browsers()
    sign_in(driver, server.base, "/staff/forms/phrases", login="nerima-manager")
    assert axe_violations(driver) == []
    box = driver.find_element(By.ID, "phrases")
    box.clear()
    box.send_keys("転出先の住所を本人に確認。\n\n委任状を確認済み。\n")
    box.submit()
    WebDriverWait(driver, 10).until(lambda d: "2件" in d.find_element(By.ID, "phrases-notice").text)
    assert clerk.get(f"{server.base}/api/v1/case-phrases", timeout=10).json() == {"phrases": ["転出先の住所を本人に確認。", "委任状を確認済み。"]}

    driver.get(f"{server.base}/staff/forms/report?by=procedure")
    WebDriverWait(driver, 10).until(lambda d: d.find_elements(By.ID, "case-report"))
    rows = [r.text for r in driver.find_elements(By.CSS_SELECTOR, "#case-report tbody tr")]
    assert rows == ["転出 1 0 —"]
    assert axe_violations(driver) == []
    csv = requests.get(driver.find_element(By.LINK_TEXT, "CSVで書き出す").get_attribute("href"),
                       cookies={c["name"]: c["value"] for c in driver.get_cookies()}, timeout=10)
    assert csv.status_code == 200 and csv.text.splitlines()[1] == "転出,1,0,"

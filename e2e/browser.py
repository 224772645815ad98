"""A real browser for screen tests: Debian's chromium driven by chromedriver through selenium."""
import os
import shutil
from contextlib import contextmanager

from selenium import webdriver
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.common.exceptions import StaleElementReferenceException, WebDriverException
from selenium.webdriver.support.ui import WebDriverWait


def chromium() -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = shutil.which("chromium") or "/usr/bin/chromium"
    for argument in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=1920,1080",
                     "--autoplay-policy=no-user-gesture-required", "--lang=ja"]:
        options.add_argument(argument)
    return webdriver.Chrome(service=Service(shutil.which("chromedriver") or "/usr/bin/chromedriver"), options=options)


def axe_violations(driver, tags=("wcag2a", "wcag2aa", "wcag2aaa")) -> list:
    """Runs axe-core (3.1.1, shipped with axe-selenium-python, which knows WCAG 2.0 tags) on the page; rejections
    surface as errors, not time-outs."""
    from axe_selenium_python import Axe
    Axe(driver).inject()
    driver.set_script_timeout(60)
    result = driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {runOnly: {type: 'tag', values: arguments[0]}})"
        ".then(r => done({violations: r.violations})).catch(e => done({error: String(e)}));", list(tags))
    assert "error" not in result, result
    return [f"{v['id']}: {v['help']} ({len(v['nodes'])} nodes)" for v in result["violations"]]


@contextmanager
def new_page(driver, timeout=10):
    """Wraps an action that loads another page (a click on a link, Enter in a form): returns once the old document is
    gone, so what the test reads next comes from the new page and never from the one being left."""
    old = driver.find_element(By.TAG_NAME, "html")
    yield
    WebDriverWait(driver, timeout).until(lambda _: _is_gone(old))


def _is_gone(element) -> bool:
    # While a document is being replaced chromedriver may answer "Node with given id does not belong to the
    # document" instead of a stale-element error: both mean the old page is gone.
    try:
        element.is_enabled()
        return False
    except StaleElementReferenceException:
        return True
    except WebDriverException as error:
        if "does not belong to the document" in str(error):
            return True
        raise


def screenshot(driver, name):
    """Keeps a picture of the screen for people to look at, when MADOGUCHI_E2E_SCREENSHOTS names a directory."""
    directory = os.environ.get("MADOGUCHI_E2E_SCREENSHOTS")
    if directory:
        os.makedirs(directory, exist_ok=True)
        driver.save_screenshot(os.path.join(directory, name + ".png"))


def wait_live(driver, timeout=5):
    WebDriverWait(driver, timeout).until(lambda d: d.find_element(By.TAG_NAME, "main").get_attribute("data-live") == "open")


def sign_in(driver, base, path, login="nerima-staff", password="madoguchi-demo"):
    driver.get(base + path)
    assert "/staff/sign-in" in driver.current_url
    driver.find_element(By.ID, "login").send_keys(login)
    driver.find_element(By.ID, "password").send_keys(password + Keys.ENTER)
    WebDriverWait(driver, 5).until(lambda d: d.current_url == base + path)


def texts(driver, selector):
    return [e.text for e in driver.find_elements(By.CSS_SELECTOR, selector)]


def register_device(driver, base, page, login="admin", password="madoguchi-demo"):
    """Registers this browser as the screen at `page` (e.g. /kiosk/seki-kiosk) the way staff do: sign in on it, open
    /staff/devices and press the screen's 「登録して開く」; the browser then shows the screen as a registered device
    (and stays signed in, as after any sign-in: the test signs out to leave only the device)."""
    sign_in(driver, base, "/staff/devices", login=login, password=password)
    row = next(r for r in driver.find_elements(By.CSS_SELECTOR, ".device-table tr")
               if r.find_elements(By.CSS_SELECTOR, f'a[href="{page}"]'))
    row.find_element(By.CSS_SELECTOR, "form[action='/staff/devices/register'] button").click()
    WebDriverWait(driver, 5).until(lambda d: d.current_url == base + page)
    driver.delete_cookie("madoguchi_session")
    driver.get(base + page)

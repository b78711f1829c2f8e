"""Headless Chromium through Selenium: drivers, console hygiene, axe-core and screenshots."""

from __future__ import annotations

import base64
import os
import re
import urllib.parse
import uuid
from pathlib import Path

os.environ.setdefault("SE_AVOID_STATS", "true")  # Selenium Manager must not reach the network

from selenium import webdriver  # noqa: E402
from selenium.common.exceptions import NoSuchElementException, StaleElementReferenceException  # noqa: E402
from selenium.webdriver.chrome.service import Service  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as EC  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

from api_client import GATEWAY, request  # noqa: E402
from smtp_sink import ROOT  # noqa: E402

WAIT = 20  # seconds: generous for a loaded 2-core machine
BROWSER_ZONE = "America/Los_Angeles"  # the zone every browser has unless a test forces another
SCREENSHOTS = ROOT / ".run" / "screenshots"
AXE_JS = next(ROOT.glob(
    ".run/venv/lib/python3*/site-packages/axe_selenium_python/node_modules/axe-core/axe.min.js"), None)
WIDTHS = (360, 1280)
HEIGHT = 900


def new_driver(time_zone: str = BROWSER_ZONE, width: int = 1280) -> webdriver.Chrome:
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for argument in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage",
                     f"--window-size={width},{HEIGHT}", "--lang=en-US", "--hide-scrollbars"):
        options.add_argument(argument)
    options.add_experimental_option("prefs", {"intl.accept_languages": "en-US,en"})
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(service=Service("/usr/bin/chromedriver"), options=options)
    driver.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": time_zone})
    driver.console = []  # browser log entries not yet checked (get_log drains Chrome's buffer)
    driver.problems = []  # what check_view found (accessibility, layout, console)
    return driver


def wait(driver, timeout: float = WAIT) -> WebDriverWait:
    """An explicit wait; pages re-render as data arrives, so an element gone stale mid-check
    just means "not yet"."""
    return WebDriverWait(driver, timeout, ignored_exceptions=(NoSuchElementException, StaleElementReferenceException))


def visible(driver, locator, timeout: float = WAIT):
    return wait(driver, timeout).until(EC.visibility_of_element_located(locator))


def clickable(driver, locator, timeout: float = WAIT):
    return wait(driver, timeout).until(EC.element_to_be_clickable(locator))


def css(driver, selector: str, timeout: float = WAIT):
    return visible(driver, (By.CSS_SELECTOR, selector), timeout)


def text_appears(driver, pattern: str, timeout: float = WAIT, root_selector: str = "main") -> str:
    """Waits until the visible text of `root_selector` matches the regex; returns that text."""
    regex = re.compile(pattern, re.I)

    def found(d):
        try:
            text = d.find_element(By.CSS_SELECTOR, root_selector).text
        except Exception:
            return False
        return text if regex.search(text) else False

    try:
        return wait(driver, timeout).until(found)
    except Exception as error:
        shown = driver.find_element(By.CSS_SELECTOR, "body").text[:2000]
        raise AssertionError(f"/{pattern}/ never appeared in {root_selector}; page shows:\n{shown}") from error


def button_named(driver, pattern: str, timeout: float = WAIT, root=None):
    """The first visible, enabled button (or role=button) whose accessible text matches `pattern`."""
    regex = re.compile(pattern, re.I)

    def find(d):
        scope = root or d
        for el in scope.find_elements(By.CSS_SELECTOR, "button, [role=button], input[type=submit], a.button"):
            try:
                label = el.get_attribute("aria-label") or el.text or el.get_attribute("value") or ""
                if regex.search(label.strip()) and el.is_displayed() and el.is_enabled():
                    return el
            except Exception:
                continue
        return False

    try:
        return wait(driver, timeout).until(find)
    except Exception as error:
        raise AssertionError(f"no button /{pattern}/; page shows:\n{driver.find_element(By.TAG_NAME, 'body').text[:1500]}") from error


def field_labelled(driver, pattern: str, timeout: float = WAIT, root=None):
    """The form control whose <label> text matches `pattern` (what a person reads)."""
    regex = re.compile(pattern, re.I)

    def find(d):
        scope = root or d
        for label in scope.find_elements(By.TAG_NAME, "label"):
            try:
                if not regex.search(label.text.strip()):
                    continue
                target = label.get_attribute("for")
                control = (d.find_element(By.ID, target) if target
                           else label.find_element(By.CSS_SELECTOR, "input, select, textarea"))
                if control.is_displayed():
                    return control
            except Exception:
                continue
        return False

    try:
        return wait(driver, timeout).until(find)
    except Exception as error:
        raise AssertionError(f"no field labelled /{pattern}/; page shows:\n{driver.find_element(By.TAG_NAME, 'body').text[:1500]}") from error


def fill(control, value: str) -> None:
    control.clear()
    control.send_keys(value)


# --------------------------------------------------------------------------------------------
# Hygiene: console errors, CSP violations, origins, headers

def collect_console(driver) -> list[dict]:
    try:
        driver.console.extend(driver.get_log("browser"))
    except Exception:
        pass
    return driver.console


def console_problems(driver, allow: tuple[str, ...] = ()) -> list[str]:
    """SEVERE browser log entries (a JavaScript error, a CSP violation, a failed load) since the
    last check, except the ones matching an `allow` regex (an API answer the test provoked on
    purpose). The entries are consumed: each is judged once."""
    entries = collect_console(driver)
    problems = [f"console: {e.get('message', '')}" for e in entries
                if (e.get("level") == "SEVERE" or "Content Security Policy" in e.get("message", ""))
                and not any(re.search(p, e.get("message", "")) for p in allow)]
    entries.clear()
    return problems


def assert_clean_console(driver, allow: tuple[str, ...] = ()) -> None:
    problems = console_problems(driver, allow)
    assert not problems, "browser console errors:\n" + "\n".join(problems)


def assert_same_origin_resources(driver) -> None:
    """Everything the page loaded (scripts, styles, fetches, images) came from the gateway."""
    origin = urllib.parse.urlsplit(GATEWAY)
    urls = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".concat([location.href]);")
    foreign = [u for u in urls if not u.startswith("data:")
               and urllib.parse.urlsplit(u)[:2] != origin[:2]]
    assert not foreign, f"loaded from another origin: {foreign}"


def assert_no_token_in_urls(driver, token: str) -> None:
    """A secret never appears in the address bar or in any URL the page requested."""
    urls = driver.execute_script(
        "return performance.getEntriesByType('resource').map(e => e.name)"
        ".concat(performance.getEntriesByType('navigation').map(e => e.name), [location.href]);")
    leaked = [u for u in urls if token in u]
    assert not leaked, f"the bearer token is in a URL: {leaked}"


# --------------------------------------------------------------------------------------------
# Accessibility (axe-core from the axe-selenium-python wheel) and screenshots

AUDITED: dict[str, list[str]] = {}  # view name -> its minor/moderate violations (conftest prints them)


def run_axe(driver) -> dict:
    assert AXE_JS, "axe.min.js not found in .run/venv (axe-selenium-python)"
    if not driver.execute_script("return typeof window.axe === 'object'"):
        driver.execute_script(AXE_JS.read_text())
    driver.set_script_timeout(60)
    return driver.execute_async_script(
        "const done = arguments[arguments.length - 1];"
        "axe.run(document, {resultTypes: ['violations']})"
        ".then(r => done(JSON.parse(JSON.stringify(r.violations))))"
        ".catch(e => done({error: String(e)}));")


# axe-core 3.1.1 (the copy in axe-selenium-python 2.1.6) counts a <label> hidden with the usual
# "visually hidden" clip technique as hidden from everyone and fails its control with
# `hidden-explicit-label` (critical). That is a known false positive, fixed in axe-core 3.2.0
# (dequelabs/axe-core#1372). Such a node is set aside only when the page proves the label is
# still read: it has text, and is neither display:none, visibility:hidden nor aria-hidden.
LABEL_READ_BY_SCREEN_READERS = """
const control = document.querySelector(arguments[0]);
const label = control && control.id && document.querySelector('label[for="' + CSS.escape(control.id) + '"]');
if (!label || !label.textContent.trim()) return false;
for (let el = label; el; el = el.parentElement) {
  const style = getComputedStyle(el);
  if (style.display === 'none' || style.visibility === 'hidden' || el.getAttribute('aria-hidden') === 'true') return false;
}
return true;
"""


def known_false_positive(driver, violation: dict, node: dict) -> bool:
    if violation["id"] != "label" or node.get("any") or node.get("all"):
        return False
    if [check["id"] for check in node.get("none", [])] != ["hidden-explicit-label"]:
        return False
    target = node.get("target") or []
    return len(target) == 1 and bool(driver.execute_script(LABEL_READ_BY_SCREEN_READERS, target[0]))


def axe_problems(driver, view: str) -> list[str]:
    """The `serious` and `critical` axe violations of the page; the others are recorded and printed."""
    violations = run_axe(driver)
    assert not isinstance(violations, dict), f"axe failed on {view}: {violations}"
    severe, other = [], []
    for v in violations:
        nodes = [n for n in v["nodes"] if not known_false_positive(driver, v, n)]
        if not nodes:
            continue
        where = "; ".join(
            f"{' '.join(n.get('target', []))}: {(n.get('failureSummary') or '').strip().splitlines()[-1:]}"
            for n in nodes[:4])
        line = f"[{v['impact']}] {v['id']}: {v['help']} ({len(nodes)} nodes) {where}"
        (severe if v["impact"] in ("serious", "critical") else other).append(line)
    AUDITED.setdefault(view, []).extend(other)
    return [f"axe {view}: {line}" for line in severe]


def screenshot(driver, name: str, width: int) -> Path:
    """A full-page PNG of the current page at `width` CSS px (the window is resized)."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    driver.set_window_size(width, HEIGHT)
    driver.execute_script("window.scrollTo(0, 0)")  # sticky parts stay where a visitor first sees them
    metrics = driver.execute_cdp_cmd("Page.getLayoutMetrics", {})
    size = metrics.get("cssContentSize") or metrics["contentSize"]
    inner = driver.execute_script("return [innerWidth, innerHeight]")  # the window less its frame
    clip = {"x": 0, "y": 0, "width": max(inner[0], size["width"]), "height": max(inner[1], size["height"]), "scale": 1}
    shot = driver.execute_cdp_cmd("Page.captureScreenshot", {
        "format": "png", "captureBeyondViewport": True, "clip": clip})
    path = SCREENSHOTS / f"{name}-{width}.png"
    path.write_bytes(base64.b64decode(shot["data"]))
    return path


def horizontal_overflow(driver) -> int:
    """How many CSS px the page is wider than the window (0 when nothing sticks out)."""
    return driver.execute_script(
        "return Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth);")


def check_view(driver, name: str, allow: tuple[str, ...] = (), widths: tuple[int, ...] = WIDTHS) -> None:
    """At one view: a screenshot and axe at each width (ending back at 1280 px), a clean console,
    and nothing wider than a 360 px phone screen. Problems are collected on the driver rather
    than raised, so one run lists every page problem of a flow; `assert_no_problems` (called at
    the end of each test, and by the fixture) fails the test with all of them."""
    problems = []
    for width in widths:
        screenshot(driver, name, width)
        problems += axe_problems(driver, f"{name}@{width}")
        sideways = horizontal_overflow(driver)
        if sideways and width == 360:
            problems.append(f"layout {name}@{width}: the page scrolls sideways by {sideways} px")
    driver.set_window_size(1280, HEIGHT)
    problems += [f"{name}: {p}" for p in console_problems(driver, allow)]
    driver.problems.extend(problems)


def assert_no_problems(*drivers) -> None:
    problems = [p for d in drivers for p in d.problems]
    for d in drivers:
        d.problems.clear()
    assert not problems, "page problems:\n" + "\n".join(problems)


class AccessLog:
    """The gateway's access log (one JSON line per request): what reached the server, URLs included."""

    PATH = ROOT / ".run" / "nginx" / "access.log"

    def __init__(self):
        self.offset = self.PATH.stat().st_size if self.PATH.exists() else 0

    def lines_since_start(self) -> str:
        """Everything logged since this object was made, once a request made now is in the log
        (nginx writes the log in buffers, flushed every second)."""
        marker = f"log-marker-{uuid.uuid4().hex}"
        request("GET", f"/api/time-zones?{marker}")

        def flushed(_):
            text = self.read()
            return text if marker in text else False

        return WebDriverWait(None, WAIT, poll_frequency=0.2).until(flushed)

    def read(self) -> str:
        with self.PATH.open("rb") as log:
            log.seek(self.offset)
            return log.read().decode("utf-8", "replace")


def headers_of(url: str) -> dict:
    return request("GET", url).headers

"""Fixtures of the browser tests (pass 3 of scripts/test).

Everything runs through the real gateway (RENDEZVOUS_GATEWAY_URL, default http://127.0.0.1:8080)
and services: test data is made with the public API, mail is read from the SMTP sink's folder,
and the pages run in headless Chromium (Debian's chromium + chromium-driver).
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))

import api_client  # noqa: E402
import browser  # noqa: E402


def pytest_report_header(config):
    return [f"gateway: {api_client.GATEWAY}", f"screenshots: {browser.SCREENSHOTS}"]


@pytest.fixture(scope="session", autouse=True)
def gateway_is_up():
    response = api_client.request("GET", "/api/time-zones")
    if response.status != 200:
        pytest.exit(f"the gateway at {api_client.GATEWAY} does not answer /api/time-zones ({response.status})", 2)


@pytest.fixture
def started() -> float:
    """When the test began (emails older than this belong to other tests)."""
    return time.time()


@pytest.fixture
def browsers():
    """A factory of Chrome sessions: `browsers(time_zone=…)`. Every one is quit afterwards, and
    none may have logged a JavaScript error or CSP violation the test did not allow."""
    drivers = []

    def make(time_zone: str = browser.BROWSER_ZONE, width: int = 1280):
        driver = browser.new_driver(time_zone, width)
        drivers.append(driver)
        return driver

    yield make
    left = []
    for driver in drivers:
        try:
            left += driver.problems + browser.console_problems(driver)
        finally:
            driver.quit()
    if left:
        pytest.fail("page problems found before the test stopped:\n" + "\n".join(left), pytrace=False)


@pytest.fixture
def driver(browsers):
    """One Chrome session in the default browser zone (America/Los_Angeles)."""
    return browsers()


def pytest_terminal_summary(terminalreporter):
    """The views axe checked, and its minor and moderate findings (each once, with its views)."""
    audited = sorted(browser.AUDITED)
    if not audited:
        return
    terminalreporter.section("accessibility (axe-core)")
    terminalreporter.write_line(f"{len(audited)} views audited (no serious or critical violation allowed): "
                                f"{', '.join(audited)}")
    where: dict[str, list[str]] = {}
    for view, lines in sorted(browser.AUDITED.items()):
        for line in lines:
            where.setdefault(line, []).append(view)
    for line, views in where.items():
        terminalreporter.write_line(f"  {line}\n      on {', '.join(views)}")

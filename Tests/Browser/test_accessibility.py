"""Keyboard-only booking, and the pages not reached by the other flows (home, dead links):
axe, screenshots at 360 and 1280 px, a clean console, and the headers of token pages."""

from __future__ import annotations

import uuid

import pytest
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys

import api_client
import browser
import pages
from browser import check_view, css, text_appears, wait


def press(driver, *keys) -> None:
    """Keys go to whatever has focus, as on a real keyboard (no element is clicked)."""
    ActionChains(driver).send_keys(*keys).perform()


def focused(driver):
    return driver.switch_to.active_element


def tab_until(driver, matches, limit: int = 40, key=Keys.TAB):
    """Presses `key` until the focused element satisfies `matches`; returns it."""
    for _ in range(limit):
        press(driver, key)
        element = focused(driver)
        if matches(element):
            return element
    raise AssertionError(f"{key!r} × {limit} never reached the element; focus is on "
                         f"{focused(driver).get_attribute('outerHTML')[:200]}")


def has_class(name: str):
    return lambda el: name in (el.get_attribute("class") or "").split()


def test_keyboard_only_booking(driver, started):
    host = api_client.make_host("UTC", name="Kai Keys")
    email = f"{api_client.unique('keys')}@example.com"
    driver.get(host.booking_url())
    pages.Picker(driver).open_days()

    # Tab into the month grid (one tab stop), then arrow to the first day with free times.
    tab_until(driver, has_class("day"))
    day = focused(driver)
    for _ in range(62):
        if has_class("day--open")(day):
            break
        press(driver, Keys.ARROW_RIGHT)
        day = focused(driver)
    assert has_class("day--open")(day), "no day with free times reachable by arrow keys"
    date = day.get_attribute("data-date")
    press(driver, Keys.ENTER)
    wait(driver).until(lambda d: d.find_elements(By.CSS_SELECTOR, f'button.day--selected[data-date="{date}"]'))

    # Tab to the first time and choose it with the space bar.
    slot = tab_until(driver, has_class("slot"))
    start_time = slot.get_attribute("data-start")
    press(driver, Keys.SPACE)
    text_appears(driver, r"Enter your details")

    # The form: type the name, Tab, the email, and Enter submits.
    tab_until(driver, lambda el: el.get_attribute("id") == "invitee_name")
    press(driver, "Kim Keyboard")
    press(driver, Keys.TAB)
    assert focused(driver).get_attribute("id") == "invitee_email"
    press(driver, email, Keys.ENTER)

    confirmation = pages.wait_for_confirmation(driver)
    assert "Kim Keyboard" in confirmation["text"]
    # Focus moved to the confirmation's heading, so a screen reader announces the result.
    assert focused(driver).get_attribute("id") == "confirmation-heading"
    bookings = host.bookings()
    assert [(b["start_time"], b["invitee_email"]) for b in bookings] == [(start_time, email)]
    browser.assert_clean_console(driver)
    browser.assert_no_problems(driver)


NOT_FOUND_404 = (r"/api/\S+ - Failed to load resource: the server responded with a status of 404",)

# name, path, what the page says, whether it carries a token (then: no-referrer, no-store).
OTHER_PAGES = [
    ("00-home", "/", r"host console", False),
    ("14-booking-link-unknown", f"/nobody-{uuid.uuid4().hex[:8]}/intro", r"isn.t available for booking", False),
    ("15-host-page-unknown", f"/nobody-{uuid.uuid4().hex[:8]}", r"couldn.t find a scheduling page", False),
    ("16-manage-link-wrong-token", f"/bookings/{uuid.uuid4()}?token=not-the-token",
     r"This link no longer manages a booking", True),
    ("17-reschedule-link-wrong-token", f"/bookings/{uuid.uuid4()}/reschedule?token=not-the-token",
     r"This link no longer manages a booking", True),
    ("18-manage-link-without-token", f"/bookings/{uuid.uuid4()}", r"This link is incomplete", True),
]


@pytest.mark.parametrize("name,path,says,token_page", OTHER_PAGES, ids=[p[0] for p in OTHER_PAGES])
def test_other_pages(driver, name, path, says, token_page):
    url = api_client.GATEWAY + path
    headers = browser.headers_of(url)
    assert headers.get("referrer-policy") == "no-referrer"
    assert "default-src 'none'" in headers.get("content-security-policy", "")
    if token_page:
        assert headers.get("cache-control") == "no-store"
    driver.get(url)
    text_appears(driver, says)
    css(driver, "h1")
    check_view(driver, name, allow=NOT_FOUND_404)
    browser.assert_same_origin_resources(driver)
    browser.assert_no_problems(driver)

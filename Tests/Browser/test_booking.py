"""An invitee far from the host books, gets the email, and uses the email's links exactly as
written: reschedule to another time, then cancel the moved booking with a reason."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta, timezone

from selenium.webdriver.common.by import By

import api_client
import browser
import pages
import smtp_sink
from browser import button_named, check_view, css, field_labelled, fill, text_appears, wait

HOST_ZONE = "Pacific/Auckland"        # UTC+13 in December
INVITEE_ZONE = "America/Los_Angeles"  # UTC-8: 21 hours behind the host, often the day before

TOKEN_PAGE_HEADERS = {
    "referrer-policy": "no-referrer",
    "x-content-type-options": "nosniff",
    "cache-control": "no-store",
}


def assert_token_page_headers(url: str) -> None:
    """A page carrying an invitee's token sends no Referer, is not cached, and has a strict CSP."""
    headers = browser.headers_of(url)
    for name, value in TOKEN_PAGE_HEADERS.items():
        assert headers.get(name) == value, f"{url}: {name} is {headers.get(name)!r}, expected {value!r}"
    csp = headers.get("content-security-policy", "")
    assert "default-src 'none'" in csp and "script-src 'self'" in csp, f"{url}: CSP {csp!r}"


def same_starts(shown: list[str], api: list[str]) -> bool:
    """The page offers the API's starts; starts at the front of the page's list may have passed
    between the page's request and ours (a start that has passed is no longer offered)."""
    now = datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    expired = len(shown) - len(api)
    return expired >= 0 and shown[expired:] == api and all(start <= now for start in shown[:expired])


def test_far_zone_invitee_books_and_gets_the_email(driver, started, tmp_path):
    host = api_client.make_host(HOST_ZONE, name="Aroha Ngata")
    invitee_email = f"{api_client.unique('far')}@example.com"

    # The host's page lists the meeting type and links to it.
    driver.get(f"{api_client.GATEWAY}/{host.slug}")
    text_appears(driver, re.escape(host.name))
    link = css(driver, f'#meeting-types a[href="/{host.slug}/{host.meeting_type["slug"]}"]')
    assert link.text == host.meeting_type["name"]
    check_view(driver, "01-host-page")
    browser.assert_same_origin_resources(driver)

    # The booking page detects the browser's zone (forced to Los Angeles through CDP).
    picker = pages.open_booking_page(driver, host.booking_url())
    assert picker.zone == INVITEE_ZONE
    assert css(driver, "#about-zone").text == INVITEE_ZONE
    check_view(driver, "02-booking-page")

    # The first day with free times shows exactly the API's starts for that day, in that zone.
    date = picker.choose_first_day()
    shown = picker.shown_slots()
    api_slots = host.slots(date, INVITEE_ZONE)
    page_starts, api_starts = [s["start_time"] for s in shown], [s["start_time"] for s in api_slots]
    assert same_starts(page_starts, api_starts), f"page {page_starts} vs API {api_starts}"
    by_start = {s["start_time"]: s["start"] for s in api_slots}
    for slot in shown:
        if slot["start_time"] in by_start:
            assert slot["hhmm"] == by_start[slot["start_time"]], f"{slot['label']} shown for {by_start[slot['start_time']]}"
    check_view(driver, "03-booking-day-chosen")

    # Book the last start of the day (the first may expire while the test runs).
    chosen = api_slots[-1]
    picker.slot(chosen["start_time"]).click()
    pages.fill_booking_form(driver, "Lani Invitee", invitee_email)
    chosen_text = css(driver, "#chosen-time").text
    assert pages.range_start(chosen_text) == chosen["start"] and INVITEE_ZONE in chosen_text
    check_view(driver, "04-booking-form")
    pages.submit_booking(driver)

    # The confirmation: the time in both zones, an .ics file, the manage link.
    confirmation = pages.wait_for_confirmation(driver)
    for zone, shown_time in ((INVITEE_ZONE, confirmation["invitee_time"]), (HOST_ZONE, confirmation["host_time"])):
        assert zone in shown_time
        assert pages.long_date(chosen["start_time"], zone) in shown_time, shown_time
        assert pages.range_start(shown_time) == pages.wall_clock(chosen["start_time"], zone), shown_time
    assert confirmation["ics_download"].endswith(".ics") and confirmation["ics_href"].startswith("blob:")
    ics = pages.download(driver, driver.find_element(By.ID, "add-to-calendar"), tmp_path)
    assert "BEGIN:VEVENT" in ics and f"DTSTART:{chosen['start_time'].replace('-', '').replace(':', '')}" in ics, ics
    assert re.fullmatch(rf"{re.escape(api_client.GATEWAY)}/bookings/[0-9a-f-]{{36}}\?token=[\w-]+", confirmation["manage_href"])
    check_view(driver, "05-booking-confirmation")
    browser.assert_same_origin_resources(driver)

    # The booking exists once, at that time; the invitee's email carries the same manage link.
    bookings = host.bookings()
    assert [(b["start_time"], b["invitee_email"], b["invitee_timezone"]) for b in bookings] == \
        [(chosen["start_time"], invitee_email, INVITEE_ZONE)]
    mail = smtp_sink.wait_for_mail(invitee_email, started, kind="confirmation")
    assert mail.manage_url == confirmation["manage_href"]
    assert bookings[0]["id"] in mail.reschedule_url
    # The page's .ics and the email's invitation are one event (the same UID).
    assert re.search(rf"^UID:{re.escape(mail.calendar_uid)}\r?$", ics, re.M), (mail.calendar_uid, ics)
    browser.assert_clean_console(driver)
    browser.assert_no_problems(driver)


def test_the_emails_links_reschedule_then_cancel(driver, started):
    host = api_client.make_host("Asia/Kolkata", name="Priya Raman")
    invitee_email = f"{api_client.unique('mover')}@example.com"
    first = host.slot_days(*next_days(3), INVITEE_ZONE)
    start = next(d["slots"][-1]["start_time"] for d in first if d["slots"])
    booked = api_client.request("POST", "/api/bookings", {
        "meeting_type_id": host.meeting_type["id"], "start_time": start, "invitee_name": "Mo Mover",
        "invitee_email": invitee_email, "invitee_timezone": INVITEE_ZONE,
    }).expect(201).body

    # The links exactly as the confirmation email writes them.
    mail = smtp_sink.wait_for_mail(invitee_email, started, kind="confirmation")
    manage_url, reschedule_url = mail.manage_url, mail.reschedule_url
    assert manage_url.startswith(f"{api_client.GATEWAY}/bookings/{booked['id']}?token=")
    assert reschedule_url.startswith(f"{api_client.GATEWAY}/bookings/{booked['id']}/reschedule?token=")
    for url in (manage_url, reschedule_url):
        assert_token_page_headers(url)

    # The manage page shows the booking.
    driver.get(manage_url)
    assert pages.booking_status(driver) == "Confirmed"
    assert pages.range_start(css(driver, "#booking-time").text) == pages.wall_clock(start, INVITEE_ZONE)
    check_view(driver, "06-manage")
    browser.assert_same_origin_resources(driver)

    # The reschedule link: the current time is marked and not offered; pick another.
    driver.get(reschedule_url)
    text_appears(driver, r"Pick a new time")
    picker = pages.Picker(driver)
    assert picker.zone == INVITEE_ZONE
    picker.choose_first_day()  # the booked day: the first with free times
    shown = picker.shown_slots()
    current = [s for s in shown if s["start_time"] == start]
    assert current and not current[0]["enabled"] and "current time" in current[0]["label"], shown
    check_view(driver, "07-reschedule")
    browser.assert_same_origin_resources(driver)
    new = next(s for s in shown if s["enabled"])
    picker.slot(new["start_time"]).click()
    text_appears(driver, r"Confirm the new time")
    assert pages.range_start(css(driver, "#new-time").text) == new["hhmm"]
    check_view(driver, "08-reschedule-confirm")
    button_named(driver, r"^Reschedule to this time$").click()

    # The moved booking: the page says so and now manages the new booking.
    text_appears(driver, r"Your meeting has been moved")
    assert pages.booking_status(driver) == "Confirmed"
    assert pages.range_start(css(driver, "#booking-time").text) == new["hhmm"]
    wait(driver).until(lambda d: booked["id"] not in d.current_url)
    check_view(driver, "09-manage-after-reschedule")
    moved_mail = smtp_sink.wait_for_mail(invitee_email, started, kind="reschedule")
    new_manage_url = moved_mail.manage_url
    new_id = re.search(r"/bookings/([0-9a-f-]{36})", new_manage_url).group(1)
    assert new_id != booked["id"] and driver.current_url == new_manage_url

    # The new booking's manage page (from the new email): cancel with a reason.
    driver.get(new_manage_url)
    assert pages.booking_status(driver) == "Confirmed"
    button_named(driver, r"^Cancel meeting$").click()
    text_appears(driver, r"Cancel this meeting\?")
    check_view(driver, "10-manage-cancel-panel")
    fill(field_labelled(driver, r"^Reason"), "A clash came up")
    button_named(driver, r"^Yes, cancel meeting$").click()
    wait(driver).until(lambda d: pages.booking_status(d) == "Cancelled")
    text_appears(driver, r"Your meeting has been cancelled")
    text_appears(driver, r"Reason: A clash came up")
    check_view(driver, "11-manage-cancelled")

    # The API agrees: the old booking was rescheduled, the new one cancelled with the reason.
    old_token = re.search(r"token=([\w-]+)", manage_url).group(1)
    new_token = re.search(r"token=([\w-]+)", new_manage_url).group(1)
    old = api_client.booking_by_token(booked["id"], old_token)
    moved = api_client.booking_by_token(new_id, new_token)
    assert old["status"] == "rescheduled"
    assert moved["status"] == "cancelled" and moved["start_time"] == new["start_time"]
    assert moved.get("cancel_reason") == "A clash came up"
    assert moved.get("rescheduled_from", booked["id"]) == booked["id"]
    assert host.booking(new_id)["status"] == "cancelled"

    # The old link now says it manages nothing more (and offers no buttons).
    driver.get(manage_url)
    wait(driver).until(lambda d: pages.booking_status(d) == "Rescheduled")
    assert not driver.find_elements(By.ID, "cancel-start")
    check_view(driver, "12-manage-old-link")
    browser.assert_clean_console(driver)
    browser.assert_no_problems(driver)


def next_days(count: int) -> tuple[str, str]:
    """A date range from yesterday (UTC) over `count` days: it holds today in every zone."""
    start = date.today() - timedelta(days=1)
    return start.isoformat(), (start + timedelta(days=count)).isoformat()

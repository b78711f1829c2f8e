"""A host sets everything up in the console, an invitee books the new meeting type in another
window, and the booking shows up in the console; the session survives a reload and the token
never appears in a URL."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support.ui import Select

import api_client
import browser
import pages
from browser import button_named, check_view, clickable, css, field_labelled, fill, text_appears, wait

HOST_ZONE = "Europe/Paris"
INVITEE_ZONE = "Europe/London"
# Several windows a day: a morning and an afternoon.
WINDOWS = [("09:00", "12:00"), ("13:00", "17:00")]
TOKEN_KEY = "rendezvous.host.token"


def heading(driver, text: str) -> None:
    """Waits for the console view whose h1 reads `text`."""
    wait(driver).until(lambda d: any(h.text.strip() == text for h in d.find_elements(By.CSS_SELECTOR, "main h1")))
    wait(driver).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "main [aria-busy=true]"))


def go(driver, nav_text: str, title: str) -> None:
    """Follows a link of the console's navigation (opening the Menu on narrow screens)."""
    link = driver.find_element(By.LINK_TEXT, nav_text)
    if not link.is_displayed():
        button_named(driver, r"^Menu$").click()
    clickable(driver, (By.LINK_TEXT, nav_text)).click()
    heading(driver, title)


def day_off_date() -> str:
    """A date three days from now in the host's zone."""
    return (datetime.now(ZoneInfo(HOST_ZONE)).date() + timedelta(days=3)).isoformat()


def type_date(control, iso: str) -> None:
    """Types a date into an <input type=date> the way a person does in an en-US browser."""
    d = date.fromisoformat(iso)
    control.send_keys(f"{d.month:02d}{d.day:02d}{d.year}")


def host_bookings(token: str) -> list[tuple[str, str]]:
    data = api_client.request("GET", "/api/bookings", token=token).expect(200).body["data"]
    return [(b["invitee_name"], b["status"]) for b in data]


def test_host_sets_up_in_the_console_and_sees_a_booking(browsers):
    console = browsers()
    gateway_log = browser.AccessLog()
    slug = api_client.unique("console")
    email = f"{slug}@example.com"
    urls_seen = []

    def seen():
        urls_seen.append(console.current_url)

    # Anyone opening the console is sent to the login form; from there, registration.
    console.get(f"{api_client.GATEWAY}/host/")
    heading(console, "Log in")
    assert console.current_url.endswith("/host/login")
    check_view(console, "20-console-login")
    console.find_element(By.LINK_TEXT, "Create an account").click()
    heading(console, "Create your account")
    check_view(console, "21-console-register")

    fill(field_labelled(console, r"^Your name"), "Camille Console")
    fill(field_labelled(console, r"^Email"), email)
    fill(field_labelled(console, r"^Password"), api_client.PASSWORD)
    zone = field_labelled(console, r"^Time zone")
    assert zone.get_attribute("value") == browser.BROWSER_ZONE  # the browser's zone is proposed
    zone.send_keys(Keys.CONTROL, "a")
    zone.send_keys(HOST_ZONE, Keys.ENTER)
    fill(field_labelled(console, r"^Link name"), slug)
    button_named(console, r"^Create account$").click()
    heading(console, "Overview")
    seen()
    token = console.execute_script(f"return localStorage.getItem('{TOKEN_KEY}')")
    assert token, "no session after registering"
    me = api_client.request("GET", "/api/users/me", token=token).expect(200).body
    assert (me["email"], me["slug"], me["time_zone"]) == (email, slug, HOST_ZONE)
    check_view(console, "22-console-overview")

    # Weekly hours: Monday gets a morning and an afternoon window, then every day copies it.
    go(console, "Weekly hours", "Weekly hours")
    seen()
    button_named(console, r"^Add hours on Monday$").click()
    button_named(console, r"^Add hours on Monday$").click()
    for index, (start, end) in enumerate(WINDOWS):
        Select(css(console, f"#hours-1-{index}-start")).select_by_value(start)
        Select(css(console, f"#hours-1-{index}-end")).select_by_value(end)
    button_named(console, r"^Copy Monday's hours to all days$").click()
    check_view(console, "23-console-hours")
    button_named(console, r"^Save weekly hours$").click()
    text_appears(console, r"Weekly hours saved")
    rules = api_client.request("GET", "/api/availability/rules", token=token).expect(200).body["rules"]
    assert sorted((r["day_of_week"], r["start_time"], r["end_time"]) for r in rules) == \
        sorted((d, s, e) for d in range(7) for s, e in WINDOWS)

    # A date override: a day off.
    go(console, "Date overrides", "Date overrides")
    seen()
    off = day_off_date()
    day_field = field_labelled(console, r"^Date$")
    type_date(day_field, off)
    assert day_field.get_attribute("value") == off
    radio = console.find_element(By.ID, "override-kind-off")
    assert radio.is_selected()  # "Unavailable all day" is the default
    button_named(console, r"^Save override$").click()
    text_appears(console, r"Saved\.")
    item = css(console, f'#overrides-list li[data-date="{off}"]')
    assert "Unavailable all day" in item.text
    check_view(console, "24-console-overrides")
    host_days = api_client.request(
        "GET", f"/api/availability/overrides?from={off}&to={off}", token=token).expect(200).body["data"]
    assert [(o["date"], o["intervals"]) for o in host_days] == [(off, [])]

    # A meeting type (with a question when the API has questions).
    go(console, "Meeting types", "Meeting types")
    seen()
    clickable(console, (By.LINK_TEXT, "New meeting type")).click()
    heading(console, "New meeting type")
    fill(field_labelled(console, r"^Name"), "Strategy session")
    assert field_labelled(console, r"^Link name").get_attribute("value") == "strategy-session"
    fill(field_labelled(console, r"^Duration"), "45")
    fill(field_labelled(console, r"^Start times every"), "15")
    fill(field_labelled(console, r"^Description"), "Forty-five minutes on your plans.")
    has_questions = bool(console.find_elements(By.ID, "type-question-add"))
    if has_questions:
        button_named(console, r"^Add a question$").click()
        fill(css(console, "#type-question-0-label"), "What should we cover?")
    check_view(console, "25-console-type-editor")
    button_named(console, r"^Create meeting type$").click()
    heading(console, "Meeting types")
    text_appears(console, r"was created")
    card = css(console, '#types-list li[data-type-slug="strategy-session"]')
    link = card.find_element(By.CSS_SELECTOR, "a.console-share__url")
    booking_url = f"{api_client.GATEWAY}/{slug}/strategy-session"
    assert link.get_attribute("href") == booking_url
    check_view(console, "26-console-types")
    seen()

    # The invitee opens the link (a new window) and books the first free time.
    console_window = console.current_window_handle
    link.click()
    wait(console).until(lambda d: len(d.window_handles) == 2)
    console.switch_to.window(next(h for h in console.window_handles if h != console_window))
    wait(console).until(lambda d: d.current_url == booking_url)
    # A zone override is per tab: this visitor is in London (Paris's day off is London's too).
    console.execute_cdp_cmd("Emulation.setTimezoneOverride", {"timezoneId": INVITEE_ZONE})
    picker = pages.open_booking_page(console, booking_url)
    assert picker.zone == INVITEE_ZONE
    assert not picker.day_is_open(off), f"{off} is the host's day off but offers times"
    assert picker.day_is_open((date.fromisoformat(off) + timedelta(days=1)).isoformat())
    picker.show_month_of(datetime.now(ZoneInfo(INVITEE_ZONE)).date().isoformat())
    day = picker.choose_first_day()
    first = picker.shown_slots()[0]
    picker.slot(first["start_time"]).click()
    invitee_email = f"{api_client.unique('guest')}@example.com"
    pages.fill_booking_form(console, "Gus Guest", invitee_email)
    if has_questions:
        fill(field_labelled(console, r"^What should we cover"), "Roadmap")
    pages.submit_booking(console)
    pages.wait_for_confirmation(console)
    browser.assert_clean_console(console)
    console.close()
    console.switch_to.window(console_window)
    assert day != off

    # The console's bookings list shows it.
    go(console, "Bookings", "Bookings")
    seen()
    booking = css(console, "#bookings-list li.console-booking")
    assert "Gus Guest" in booking.text and "Strategy session" in booking.text
    assert pages.range_start(booking.text) == pages.wall_clock(first["start_time"], HOST_ZONE)
    assert INVITEE_ZONE in booking.text  # "Their time: … (Europe/London)"
    check_view(console, "27-console-bookings")

    # Cancelling asks first (a dialog); keeping the meeting changes nothing.
    button_named(console, r"^Cancel the meeting with Gus Guest", root=booking).click()
    dialog = css(console, "dialog[open]")
    assert "Cancel the meeting with Gus Guest?" in dialog.text
    check_view(console, "28-console-cancel-dialog")
    button_named(console, r"^Keep meeting$", root=dialog).click()
    wait(console).until(lambda d: not d.find_elements(By.CSS_SELECTOR, "dialog[open]"))
    assert host_bookings(token) == [("Gus Guest", "confirmed")]

    # A reload keeps the host logged in (on the same view).
    console.refresh()
    heading(console, "Bookings")
    assert css(console, "#console-user-name").text == "Camille Console"
    assert "Gus Guest" in css(console, "#bookings-list").text
    seen()

    # The remaining views: past bookings, calendars, profile, editing a type, the narrow menu.
    clickable(console, (By.LINK_TEXT, "Past")).click()
    wait(console).until(lambda d: d.current_url.endswith("/host/bookings/past"))
    heading(console, "Bookings")
    check_view(console, "29-console-bookings-past")
    go(console, "Calendars", "Calendar connections")
    seen()
    check_view(console, "30-console-calendars")
    go(console, "Profile and links", "Profile and links")
    seen()
    assert f"/{slug}/strategy-session" in css(console, "#share-type-links").text
    check_view(console, "31-console-profile")
    go(console, "Meeting types", "Meeting types")
    button_named(console, r"^Edit Strategy session$").click()
    heading(console, "Edit “Strategy session”")
    assert field_labelled(console, r"^Duration").get_attribute("value") == "45"
    check_view(console, "32-console-type-edit")
    seen()
    console.set_window_size(360, browser.HEIGHT)
    button_named(console, r"^Menu$").click()
    css(console, "#console-nav a[href='/host/hours']")
    check_view(console, "33-console-menu-open", widths=(360,))

    # Logging out and in again.
    button_named(console, r"^Log out$").click()
    heading(console, "Log in")
    assert not console.execute_script(f"return localStorage.getItem('{TOKEN_KEY}')")
    fill(field_labelled(console, r"^Email"), email)
    fill(field_labelled(console, r"^Password"), api_client.PASSWORD)
    button_named(console, r"^Log in$").click()
    heading(console, "Overview")
    seen()
    new_token = console.execute_script(f"return localStorage.getItem('{TOKEN_KEY}')")

    # The bearer token never appeared in a URL: not in the address bar, not in any request the
    # page made, not in any request line the gateway logged.
    logged = gateway_log.lines_since_start()
    for secret in (token, new_token):
        assert not [u for u in urls_seen if secret in u]
        browser.assert_no_token_in_urls(console, secret)
        assert secret not in logged, "a bearer token is in the gateway's access log"
    browser.assert_same_origin_resources(console)
    browser.assert_clean_console(console)
    browser.assert_no_problems(console)

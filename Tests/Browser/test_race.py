"""Two people, two browsers, one slot: exactly one gets it, the other is told and sees the day
again without it."""

from __future__ import annotations

import threading

from selenium.webdriver.common.by import By

import api_client
import browser
import pages
from browser import check_view, wait

# The loser's POST /api/bookings answers 409; Chrome logs any 4xx fetch as a SEVERE network entry.
EXPECTED_409 = (r"/api/bookings - Failed to load resource: the server responded with a status of 409",)


def test_two_browsers_race_for_one_slot(browsers):
    host = api_client.make_host("Europe/Berlin", name="Greta Race")
    people = [("Ada Early", f"{api_client.unique('ada')}@example.com"),
              ("Bob Early", f"{api_client.unique('bob')}@example.com")]
    drivers = [browsers(), browsers()]

    # Both open the page, choose the same day and the same (last) time, and fill in the form.
    chosen = None
    for driver, (name, email) in zip(drivers, people):
        picker = pages.open_booking_page(driver, host.booking_url())
        date = picker.choose_first_day()
        slots = picker.shown_slots()
        chosen = chosen or slots[-1]
        picker.slot(chosen["start_time"]).click()
        pages.fill_booking_form(driver, name, email)

    # Both press "Schedule meeting" at the same moment.
    gate = threading.Barrier(len(drivers))
    buttons = [browser.button_named(d, r"^Schedule meeting$") for d in drivers]
    errors = []

    def press(button):
        try:
            gate.wait(timeout=10)
            button.click()
        except Exception as error:  # reported below, in the test's thread
            errors.append(error)

    threads = [threading.Thread(target=press, args=(b,)) for b in buttons]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors, errors

    # Each page ends in one of two states: booked, or told the time was just taken.
    def outcome(driver):
        if driver.find_elements(By.ID, "confirmation"):
            return "booked"
        picker_status = driver.find_elements(By.CSS_SELECTOR, "section.picker .picker__status")
        if picker_status and "just taken" in picker_status[0].text:
            return "taken"
        return False

    outcomes = [wait(d).until(outcome) for d in drivers]
    assert sorted(outcomes) == ["booked", "taken"], outcomes
    winner = drivers[outcomes.index("booked")]
    loser = drivers[outcomes.index("taken")]

    # The loser sees the same day again, refreshed from the server, without the taken time.
    picker = pages.Picker(loser)
    wait(loser).until(lambda d: picker.slot_buttons())
    refreshed = [s["start_time"] for s in picker.shown_slots()]
    assert chosen["start_time"] not in refreshed
    assert refreshed == [s["start_time"] for s in host.slots(date, browser.BROWSER_ZONE)]
    selected = loser.find_element(By.CSS_SELECTOR, f"#{picker.prefix} button.day--selected").get_attribute("data-date")
    assert selected == date
    check_view(loser, "13-booking-slot-taken", allow=EXPECTED_409)
    browser.assert_clean_console(winner)
    browser.assert_clean_console(loser, allow=EXPECTED_409)
    browser.assert_no_problems(winner, loser)

    # The API has exactly one booking, the winner's.
    bookings = host.bookings()
    assert len(bookings) == 1 and bookings[0]["start_time"] == chosen["start_time"]
    winner_email = people[drivers.index(winner)][1]
    assert bookings[0]["invitee_email"] == winner_email

"""What a person does on the pages, in a few verbs: the booking page's picker and form, the
confirmation, the manage and reschedule pages. Locators follow what people read (labels,
headings, button text) and fall back to the pages' ids where text would be ambiguous."""

from __future__ import annotations

import re
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from selenium.webdriver.common.by import By

from browser import button_named, css, field_labelled, fill, text_appears, wait

# -------------------------------------------------------------------------------------------
# Times as people read them

CLOCK = re.compile(r"(\d{1,2}):(\d{2})\s*([AaPp])?\.?\s*[Mm]?\.?")


def to_hhmm(text: str) -> str:
    """'9:05 AM' / '12:30 PM' / '09:05' → 'HH:mm' (24-hour), the API's wall-clock form."""
    found = CLOCK.search(text)
    assert found, f"no clock time in {text!r}"
    hour, minute, half = int(found.group(1)), found.group(2), (found.group(3) or "").lower()
    if half == "a" and hour == 12:
        hour = 0
    elif half == "p" and hour != 12:
        hour += 12
    return f"{hour:02d}:{minute}"


def wall_clock(instant: str, zone: str) -> str:
    """An RFC 3339 instant's wall-clock time in `zone` as 'HH:mm' (what to_hhmm makes of a label)."""
    local = datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return local.strftime("%H:%M")


def long_date(instant: str, zone: str) -> str:
    """'Tuesday, December 8, 2026': the instant's date in `zone`, as an en-US browser writes it."""
    local = datetime.fromisoformat(instant.replace("Z", "+00:00")).astimezone(ZoneInfo(zone))
    return f"{local:%A}, {local:%B} {local.day}, {local.year}"


def range_start(text: str) -> str:
    """The start of the first time range in a text as HH:mm: '7:30 – 8:00 PM' → '19:30' (Intl's
    formatRange writes AM/PM once when both ends share it), '11:30 PM – 12/8/2026, 12:00 AM'
    → '23:30'."""
    found = list(CLOCK.finditer(text))
    assert found, f"no clock time in {text!r}"
    first = found[0]
    if first.group(3) or len(found) == 1:
        return to_hhmm(first.group(0))
    return to_hhmm(f"{first.group(1)}:{first.group(2)} {found[1].group(3) or ''}M")


# -------------------------------------------------------------------------------------------
# The slot picker (the booking page's and the reschedule page's)

class Picker:
    """The month grid and the chosen day's times; its element ids share a prefix (the picker
    section's id: `schedule` on the booking page, another on the reschedule page)."""

    def __init__(self, driver):
        self.driver = driver
        self.prefix = css(driver, "section.picker").get_attribute("id")

    @property
    def zone(self) -> str:
        return css(self.driver, f"#{self.prefix}-zone-name").text.strip()

    def open_days(self):
        """Waits for the month to load; the day buttons marked as having free times."""
        grid = css(self.driver, f"#{self.prefix}-grid")
        wait(self.driver).until(lambda d: grid.get_attribute("aria-busy") == "false"
                                and grid.find_elements(By.CSS_SELECTOR, "button.day.day--open"))
        return grid.find_elements(By.CSS_SELECTOR, "button.day.day--open")

    def show_month_of(self, date: str) -> None:
        """Pages the grid (Previous/Next month) until it shows `date`'s month."""
        for _ in range(13):
            shown = {b.get_attribute("data-date")[:7] for b in
                     self.driver.find_elements(By.CSS_SELECTOR, f"#{self.prefix}-grid button.day")}
            if date[:7] in shown:
                return
            direction = "next" if date[:7] > min(shown) else "prev"
            self.driver.find_element(By.ID, f"{self.prefix}-{direction}").click()
            wait(self.driver).until(lambda d: d.find_element(By.ID, f"{self.prefix}-grid").get_attribute("aria-busy") == "false")
        raise AssertionError(f"the calendar never showed {date[:7]}")

    def day_is_open(self, date: str) -> bool:
        """Whether `date` is marked as having free times (its month is brought into view)."""
        self.show_month_of(date)
        grid = self.driver.find_element(By.ID, f"{self.prefix}-grid")
        wait(self.driver).until(lambda d: grid.get_attribute("aria-busy") == "false")
        day = grid.find_element(By.CSS_SELECTOR, f'button.day[data-date="{date}"]')
        return "day--open" in day.get_attribute("class").split()

    def choose_first_day(self) -> str:
        """Clicks the first day with free times; returns its date (YYYY-MM-DD)."""
        day = self.open_days()[0]
        date = day.get_attribute("data-date")
        day.click()
        self.wait_for_slots(date)
        return date

    def wait_for_slots(self, date: str):
        wait(self.driver).until(lambda d: self.slot_buttons() and
                                d.find_element(By.CSS_SELECTOR, f"#{self.prefix} button.day--selected")
                                .get_attribute("data-date") == date)

    def slot_buttons(self):
        return self.driver.find_elements(By.CSS_SELECTOR, f"#{self.prefix}-slots button.slot")

    def shown_slots(self) -> list[dict]:
        """The chosen day's slots as shown: the visible label (as HH:mm), and the instant behind it."""
        return [{"label": b.text.strip(), "hhmm": to_hhmm(b.text), "start_time": b.get_attribute("data-start"),
                 "enabled": b.is_enabled()} for b in self.slot_buttons()]

    def slot(self, start_time: str):
        return css(self.driver, f'#{self.prefix}-slots button.slot[data-start="{start_time}"]')


# -------------------------------------------------------------------------------------------
# The booking page

def open_booking_page(driver, url: str) -> Picker:
    driver.get(url)
    css(driver, "#type-name")
    picker = Picker(driver)
    picker.open_days()
    return picker


def fill_booking_form(driver, name: str, email: str) -> None:
    text_appears(driver, r"Enter your details")
    fill(field_labelled(driver, r"^Your name"), name)
    fill(field_labelled(driver, r"^Email"), email)


def submit_booking(driver):
    button_named(driver, r"^Schedule meeting$").click()


def wait_for_confirmation(driver) -> dict:
    """The confirmation's facts: the invitee's time, the host's time, the .ics link, the manage link."""
    css(driver, "#confirmation")
    text_appears(driver, r"You.re booked")
    ics = driver.find_element(By.ID, "add-to-calendar")
    manage = driver.find_element(By.ID, "manage-link")
    return {
        "heading": driver.find_element(By.ID, "confirmation-heading").text,
        "invitee_time": driver.find_element(By.ID, "confirmed-time").text,
        "host_time": driver.find_element(By.ID, "confirmed-host-time").text,
        "ics_href": ics.get_attribute("href"),
        "ics_download": ics.get_attribute("download"),
        "manage_href": manage.get_attribute("href"),
        "manage_url_text": driver.find_element(By.ID, "manage-url").text,
        "text": driver.find_element(By.ID, "confirmation").text,
    }


def download(driver, link, folder: Path) -> str:
    """Clicks a download link as a person would and returns the saved file's text."""
    folder.mkdir(parents=True, exist_ok=True)
    driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    name = link.get_attribute("download")
    link.click()
    target = folder / name
    wait(driver).until(lambda d: target.exists() and target.stat().st_size > 0)
    return target.read_text()


# -------------------------------------------------------------------------------------------
# The manage page

def booking_status(driver) -> str:
    return css(driver, "#booking-status").text.strip()

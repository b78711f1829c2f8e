"""The SMTP sink's folder (.run/mail/*.eml, one RFC 822 message per file, named by UTC instant)."""

from __future__ import annotations

import email
import os
import re
from dataclasses import dataclass
from email import policy
from pathlib import Path

from selenium.common.exceptions import TimeoutException
from selenium.webdriver.support.ui import WebDriverWait

ROOT = Path(os.environ.get("RENDEZVOUS_ROOT", Path(__file__).resolve().parents[2]))
MAIL_DIR = Path(os.environ.get("SMTP_SINK_DIR", ROOT / ".run" / "mail"))

MANAGE_LINK = re.compile(r"https?://[^\s<>\"]+/bookings/[0-9a-f-]{36}\?token=[A-Za-z0-9_\-]+")
RESCHEDULE_LINK = re.compile(r"https?://[^\s<>\"]+/bookings/[0-9a-f-]{36}/reschedule\?token=[A-Za-z0-9_\-]+")


@dataclass
class Mail:
    path: Path
    to: str
    subject: str
    kind: str  # X-Rendezvous-Notification: confirmation, cancellation, reschedule, …
    text: str  # the text/plain part, decoded (base64 or not)
    calendar: str  # the text/calendar attachment (the invitation), or ""

    @property
    def calendar_uid(self) -> str:
        found = re.search(r"^UID:(.+?)\r?$", self.calendar, re.M)
        assert found, f"no UID in the email's invitation:\n{self.calendar}"
        return found.group(1)

    @property
    def manage_url(self) -> str:
        found = MANAGE_LINK.search(self.text)
        assert found, f"no /bookings/{{id}}?token=… link in the email:\n{self.text}"
        return found.group(0)

    @property
    def reschedule_url(self) -> str:
        found = RESCHEDULE_LINK.search(self.text)
        assert found, f"no /bookings/{{id}}/reschedule?token=… link in the email:\n{self.text}"
        return found.group(0)


def _read(path: Path) -> Mail:
    message = email.message_from_bytes(path.read_bytes(), policy=policy.default)
    body = message.get_body(preferencelist=("plain",))
    calendar = next((part.get_content() for part in message.walk()
                     if part.get_content_type() == "text/calendar"), "")
    if isinstance(calendar, bytes):
        calendar = calendar.decode("utf-8", "replace")
    return Mail(path=path, to=str(message["To"] or ""), subject=str(message["Subject"] or ""),
                kind=str(message["X-Rendezvous-Notification"] or ""),
                text=body.get_content() if body is not None else "", calendar=calendar)


def wait_for_mail(to: str, since: float, kind: str | None = None, timeout: float = 30.0) -> Mail:
    """The first message to `to` (of `kind`) written after `since` (a time.time()); polls the folder."""
    seen: list[str] = []

    def arrived(_):
        seen.clear()
        for path in sorted(MAIL_DIR.glob("*.eml")):
            try:
                if path.stat().st_mtime < since - 1:
                    continue
                mail = _read(path)
            except (OSError, ValueError):
                continue  # still being written
            if to.lower() in mail.to.lower():
                seen.append(f"{mail.kind}: {mail.subject}")
                if kind is None or mail.kind == kind:
                    return mail
        return False

    try:
        return WebDriverWait(None, timeout, poll_frequency=0.25).until(arrived)
    except TimeoutException:
        raise AssertionError(f"no {kind or ''} email to {to} within {timeout:.0f} s in {MAIL_DIR} (saw {seen})") from None

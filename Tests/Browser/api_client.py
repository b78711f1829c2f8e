"""The public REST API through the gateway, as the browser tests use it to make and check data.

Plain urllib: every call returns a `Response` (status, headers, parsed JSON) and never raises
for an HTTP status, so a test states what it expects.
"""

from __future__ import annotations

import json
import os
import urllib.error
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass, field

GATEWAY = os.environ.get("RENDEZVOUS_GATEWAY_URL", "http://127.0.0.1:8080").rstrip("/")
PASSWORD = "correct horse battery staple"


@dataclass
class Response:
    status: int
    headers: dict
    body: object

    def expect(self, *statuses: int) -> "Response":
        assert self.status in statuses, f"expected {statuses}, got {self.status}: {self.body}"
        return self


def request(method: str, path: str, body=None, token: str | None = None, headers=None) -> Response:
    """One HTTP request to the gateway (`path` starts with /, or is a full URL)."""
    url = path if path.startswith("http") else GATEWAY + path
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method)
    req.add_header("Accept", "application/json")
    if data is not None:
        req.add_header("Content-Type", "application/json")
    if token:
        req.add_header("Authorization", f"Bearer {token}")
    for name, value in (headers or {}).items():
        req.add_header(name, value)
    try:
        with urllib.request.urlopen(req, timeout=20) as resp:
            status, raw, hdrs = resp.status, resp.read(), resp.headers
    except urllib.error.HTTPError as error:
        status, raw, hdrs = error.code, error.read(), error.headers
    text = raw.decode("utf-8", "replace")
    content_type = hdrs.get("Content-Type", "")
    parsed = json.loads(text) if text and "json" in content_type else text
    return Response(status, {k.lower(): v for k, v in hdrs.items()}, parsed)


def unique(prefix: str) -> str:
    """A fresh slug-safe name: every test makes its own hosts, types and invitees."""
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


@dataclass
class Host:
    """A registered, logged-in host with its meeting type(s)."""

    email: str
    name: str
    slug: str
    time_zone: str
    token: str
    user: dict
    types: list = field(default_factory=list)

    @property
    def meeting_type(self) -> dict:
        return self.types[0]

    def booking_url(self, meeting_type: dict | None = None) -> str:
        mt = meeting_type or self.meeting_type
        return f"{GATEWAY}/{self.slug}/{mt['slug']}"

    def slots(self, date: str, time_zone: str, meeting_type: dict | None = None) -> list[dict]:
        mt = meeting_type or self.meeting_type
        query = urllib.parse.urlencode({"meeting_type_id": mt["id"], "date": date, "timezone": time_zone})
        return request("GET", f"/api/availability/slots?{query}").expect(200).body["slots"]

    def slot_days(self, start_date: str, end_date: str, time_zone: str, meeting_type: dict | None = None) -> list[dict]:
        mt = meeting_type or self.meeting_type
        query = urllib.parse.urlencode({"meeting_type_id": mt["id"], "start_date": start_date,
                                        "end_date": end_date, "timezone": time_zone})
        return request("GET", f"/api/availability/slots?{query}").expect(200).body["days"]

    def bookings(self, status: str | None = None) -> list[dict]:
        query = f"?{urllib.parse.urlencode({'status': status})}" if status else ""
        return request("GET", f"/api/bookings{query}", token=self.token).expect(200).body["data"]

    def booking(self, booking_id: str) -> dict:
        return request("GET", f"/api/bookings/{booking_id}", token=self.token).expect(200).body


# Every day, 09:00–17:00 in the host's zone (day_of_week 0 = Sunday … 6 = Saturday).
EVERY_DAY_9_TO_5 = [{"day_of_week": d, "start_time": "09:00", "end_time": "17:00"} for d in range(7)]


def register(prefix: str = "host", time_zone: str = "UTC", name: str | None = None) -> tuple[str, str, dict]:
    """Registers a host through POST /api/users; returns (email, slug, user)."""
    slug = unique(prefix)
    email = f"{slug}@example.com"
    user = request("POST", "/api/users", {
        "email": email, "password": PASSWORD, "name": name or f"Host {slug[-4:]}",
        "time_zone": time_zone, "slug": slug,
    }).expect(201).body
    return email, slug, user


def login(email: str) -> str:
    return request("POST", "/api/auth/login", {"email": email, "password": PASSWORD}).expect(200).body["access_token"]


def make_host(time_zone: str = "UTC", rules=None, types=None, name: str | None = None) -> Host:
    """A host with weekly hours and meeting types, all made through the public API.

    `types`: a list of meeting-type bodies (name/slug/duration at least); default one 30-minute type.
    """
    email, slug, user = register("host", time_zone, name)
    token = login(email)
    request("PUT", "/api/availability/rules", {"rules": rules if rules is not None else EVERY_DAY_9_TO_5},
            token=token).expect(200)
    host = Host(email=email, name=user["name"], slug=user["slug"], time_zone=time_zone, token=token, user=user)
    for body in types or [{"name": "Intro call", "slug": "intro", "duration_minutes": 30, "slot_interval_minutes": 30}]:
        host.types.append(request("POST", "/api/meeting-types", body, token=token).expect(201).body)
    return host


def booking_by_token(booking_id: str, token: str) -> dict:
    query = urllib.parse.urlencode({"token": token})
    return request("GET", f"/api/bookings/{booking_id}?{query}").expect(200).body

import Foundation

/// Reads the busy time of iCalendar objects (RFC 5545) into ``ExternalBusyEvent``s.
///
/// Every `VEVENT` is one block: `DTSTART` to `DTEND`, or to `DTSTART + DURATION`, or (without
/// either) a zero-length timed event, which is not busy, or one whole day for a date. Dates are
/// whole days of the host's zone, the end date exclusive; floating times are wall times in the
/// host's zone. Events marked `TRANSP:TRANSPARENT` or `STATUS:CANCELLED` are not busy.
/// `RRULE`s are not expanded here: the CalDAV client asks the server to expand recurring events
/// into instances (each with its `RECURRENCE-ID`), so a master read here counts only as its first
/// occurrence.
///
/// The id of a block is the event's `UID`, with `#` and the `RECURRENCE-ID` in UTC
/// (`YYYYMMDDTHHMMSSZ`, or `YYYYMMDD` for a date) for one instance of a recurring event.
package struct ICalendarBusyReader: Sendable {
    /// The zone of dates and floating times, and of time zone ids that resolve to nothing else.
    package var hostTimeZone: TimeZone

    /// A reader for a host in `hostTimeZone`.
    package init(hostTimeZone: TimeZone) {
        self.hostTimeZone = hostTimeZone
    }

    /// The busy blocks of every event in `text` (one or more `VCALENDAR` objects), in the order
    /// of the text. Events without a `UID` or a readable `DTSTART` are skipped.
    package func busyEvents(in text: String) -> [ExternalBusyEvent] {
        var events: [ExternalBusyEvent] = []
        for calendar in ICalendarComponent.parse(text) {
            let zones = ICalendarTimeZones(hostTimeZone: hostTimeZone, components: calendar.components)
            let vevents = calendar.name == "VEVENT" ? [calendar] : calendar.components.filter { $0.name == "VEVENT" }
            for event in vevents {
                if let busy = busyEvent(event, zones: zones) { events.append(busy) }
            }
        }
        return events
    }

    /// The busy block of one `VEVENT`, or nil when it is not busy or cannot be read.
    package func busyEvent(_ event: ICalendarComponent, zones: ICalendarTimeZones) -> ExternalBusyEvent? {
        if event.property("TRANSP")?.value.trimmingCharacters(in: .whitespaces).uppercased() == "TRANSPARENT" { return nil }
        if event.property("STATUS")?.value.trimmingCharacters(in: .whitespaces).uppercased() == "CANCELLED" { return nil }
        guard let uid = event.property("UID")?.textValue, !uid.isEmpty,
              let startLine = event.property("DTSTART"),
              let start = ICalendarDateTime.parse(startLine, zones: zones)
        else { return nil }

        let startInstant = start.instant(hostTimeZone: hostTimeZone)
        var endInstant: Int
        if let endLine = event.property("DTEND"), let end = ICalendarDateTime.parse(endLine, zones: zones) {
            endInstant = end.instant(hostTimeZone: hostTimeZone)
        } else if let durationLine = event.property("DURATION"), let duration = ICalendarDuration(durationLine.value) {
            endInstant = start.instant(adding: duration, hostTimeZone: hostTimeZone)
        } else {
            endInstant = startInstant
        }
        // A day event ending where it starts (or before) still takes its day.
        if start.isDate, endInstant <= startInstant {
            endInstant = start.instant(adding: ICalendarDuration(days: 1), hostTimeZone: hostTimeZone)
        }
        guard endInstant > startInstant else { return nil }

        var id = uid
        if let recurrenceLine = event.property("RECURRENCE-ID"),
           let recurrence = ICalendarDateTime.parse(recurrenceLine, zones: zones) {
            id += "#" + recurrence.idText(hostTimeZone: hostTimeZone)
        }
        return ExternalBusyEvent(
            externalID: id,
            start: Date(timeIntervalSince1970: TimeInterval(startInstant)),
            end: Date(timeIntervalSince1970: TimeInterval(endInstant))
        )
    }
}

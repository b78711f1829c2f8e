import Foundation
import ICalendar

/// Reads the busy time of iCalendar objects (RFC 5545) into ``ExternalBusyEvent``s.
///
/// Every `VEVENT` is one block: `DTSTART` to `DTEND`, or to `DTSTART + DURATION`, or (without
/// either) a zero-length timed event, which is not busy, or one whole day for a date. Dates are
/// whole days of the host's zone, the end date exclusive; floating times are wall times in the
/// host's zone. Events marked `TRANSP:TRANSPARENT` or `STATUS:CANCELLED` are not busy.
///
/// Recurring events: an event with an `RRULE` is expanded here into its instances that overlap
/// the window the caller gives, when the rule is a simple one (see ``ICalendarRecurrenceRule``),
/// minus its `EXDATE`s and the instances that other `VEVENT`s of the same `UID` override (those
/// are read on their own); otherwise (or without a window) it counts as its first occurrence
/// only. ``needsServerExpansion(_:)`` tells the CalDAV client which objects to have the server
/// expand instead; server-expanded instances come with their `RECURRENCE-ID` and no `RRULE`.
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
    /// of the text. Events without a `UID` or a readable `DTSTART` are skipped. Recurring events
    /// with a simple rule are expanded into their instances that overlap `window` when it is
    /// given; other events are read whether they overlap it or not.
    package func busyEvents(in text: String, expandingWithin window: SyncWindow? = nil) -> [ExternalBusyEvent] {
        var events: [ExternalBusyEvent] = []
        for calendar in ICalendarComponent.parse(text) {
            let zones = ICalendarTimeZones(hostTimeZone: hostTimeZone, components: calendar.components)
            let vevents = calendar.name == "VEVENT" ? [calendar] : calendar.components.filter { $0.name == "VEVENT" }
            for event in vevents {
                if let window, event.property("RECURRENCE-ID") == nil,
                   let ruleLine = event.property("RRULE"),
                   let rule = ICalendarRecurrenceRule(ruleLine.value, zones: zones) {
                    events += instances(of: event, rule: rule, siblings: vevents, zones: zones, within: window)
                } else if let busy = busyEvent(event, zones: zones) {
                    events.append(busy)
                }
            }
        }
        return events
    }

    /// The busy block of one `VEVENT` (its first occurrence when it recurs), or nil when it is
    /// not busy or cannot be read.
    package func busyEvent(_ event: ICalendarComponent, zones: ICalendarTimeZones) -> ExternalBusyEvent? {
        guard isBusy(event), let uid = event.property("UID")?.textValue, !uid.isEmpty,
              let start = event.property("DTSTART").flatMap({ ICalendarDateTime.parse($0, zones: zones) })
        else { return nil }
        var id = uid
        if let recurrenceLine = event.property("RECURRENCE-ID"),
           let recurrence = ICalendarDateTime.parse(recurrenceLine, zones: zones) {
            id += "#" + recurrence.idText(hostTimeZone: hostTimeZone)
        }
        return block(id: id, occurrence: start, of: event, start: start, zones: zones)
    }

    /// The instances of a recurring `event` that overlap `window`, without its exceptions
    /// (`EXDATE`) and the instances that `siblings` with its `UID` and a `RECURRENCE-ID` replace
    /// (those are read on their own).
    func instances(
        of event: ICalendarComponent, rule: ICalendarRecurrenceRule, siblings: [ICalendarComponent],
        zones: ICalendarTimeZones, within window: SyncWindow
    ) -> [ExternalBusyEvent] {
        guard isBusy(event), let uid = event.property("UID")?.textValue, !uid.isEmpty,
              let start = event.property("DTSTART").flatMap({ ICalendarDateTime.parse($0, zones: zones) })
        else { return [] }
        var skipped: Set<String> = []
        for sibling in siblings where sibling.property("UID")?.textValue == uid {
            if let line = sibling.property("RECURRENCE-ID"), let value = ICalendarDateTime.parse(line, zones: zones) {
                skipped.insert(value.idText(hostTimeZone: hostTimeZone))
            }
        }
        for line in event.properties where line.name == "EXDATE" {
            for text in line.value.split(separator: ",") {
                var single = line
                single.value = String(text)
                if let value = ICalendarDateTime.parse(single, zones: zones) {
                    skipped.insert(value.idText(hostTimeZone: hostTimeZone))
                }
            }
        }
        // An instance that started before the window may still run into it: look back by the
        // length of the first one (plus a day for a DST change or a longer month).
        let first = block(id: uid, occurrence: start, of: event, start: start, zones: zones)
        let length = first.map { Int($0.end.timeIntervalSince($0.start)) } ?? 0
        let range = (Int(window.start.timeIntervalSince1970.rounded(.down)) - length - 86_400)
            ..< Int(window.end.timeIntervalSince1970.rounded(.up))
        return rule.occurrences(from: start, in: range, hostTimeZone: hostTimeZone).compactMap { occurrence in
            let idText = occurrence.idText(hostTimeZone: hostTimeZone)
            guard !skipped.contains(idText),
                  let instance = block(id: uid + "#" + idText, occurrence: occurrence, of: event, start: start, zones: zones),
                  instance.end > window.start, instance.start < window.end
            else { return nil }
            return instance
        }
    }

    private func isBusy(_ event: ICalendarComponent) -> Bool {
        func value(_ name: String) -> String? {
            event.property(name)?.value.trimmingCharacters(in: .whitespaces).uppercased()
        }
        return value("TRANSP") != "TRANSPARENT" && value("STATUS") != "CANCELLED"
    }

    /// The block of the occurrence starting at `occurrence` of `event` (whose first occurrence
    /// starts at `start`): as long as the event, in the event's own terms (whole days for dates,
    /// wall time for times in a zone), or nil when it takes no time.
    private func block(
        id: String, occurrence: ICalendarDateTime, of event: ICalendarComponent, start: ICalendarDateTime,
        zones: ICalendarTimeZones
    ) -> ExternalBusyEvent? {
        let startInstant = occurrence.instant(hostTimeZone: hostTimeZone)
        var endInstant = startInstant
        if let end = event.property("DTEND").flatMap({ ICalendarDateTime.parse($0, zones: zones) }) {
            switch (start, end, occurrence) {
            case let (.utc(first), .utc(last), .utc(this)):
                endInstant = this + (last - first)
            case let (.local(first, firstZone), .local(last, lastZone), .local(this, zone))
                where firstZone?.identifier == lastZone?.identifier:
                endInstant = ICalendarDateTime.instant(localSeconds: this + (last - first), in: zone ?? hostTimeZone)
            case let (.date(first), .date(last), .date(this)):
                endInstant = ICalendarDateTime.date(this.adding(days: first.distance(to: last))).instant(hostTimeZone: hostTimeZone)
            default:
                endInstant = startInstant + (end.instant(hostTimeZone: hostTimeZone) - start.instant(hostTimeZone: hostTimeZone))
            }
        } else if let durationLine = event.property("DURATION"), let duration = ICalendarDuration(durationLine.value) {
            endInstant = occurrence.instant(adding: duration, hostTimeZone: hostTimeZone)
        }
        // A day event ending where it starts (or before) still takes its day.
        if occurrence.isDate, endInstant <= startInstant {
            endInstant = occurrence.instant(adding: ICalendarDuration(days: 1), hostTimeZone: hostTimeZone)
        }
        guard endInstant > startInstant else { return nil }
        return ExternalBusyEvent(
            externalID: id,
            start: Date(timeIntervalSince1970: TimeInterval(startInstant)),
            end: Date(timeIntervalSince1970: TimeInterval(endInstant))
        )
    }

    /// Whether `text` has a recurring event this reader cannot expand (a rule it does not
    /// support, or `RDATE`s), which only the server can expand into instances.
    package func needsServerExpansion(_ text: String) -> Bool {
        for calendar in ICalendarComponent.parse(text) {
            let zones = ICalendarTimeZones(hostTimeZone: hostTimeZone, components: calendar.components)
            let vevents = calendar.name == "VEVENT" ? [calendar] : calendar.components.filter { $0.name == "VEVENT" }
            for event in vevents where event.property("RECURRENCE-ID") == nil {
                if event.property("RDATE") != nil { return true }
                if let rule = event.property("RRULE"), ICalendarRecurrenceRule(rule.value, zones: zones) == nil { return true }
            }
        }
        return false
    }
}

import Events
import Foundation
import ICalendar

/// Renders a scheduled notification into an email: the templates of its kind with the meeting
/// time in the recipient's zone and the other party's, the invitee's links, and an iCalendar
/// invitation (REQUEST, or CANCEL for a cancellation).
struct NotificationRenderer: Sendable {
    /// What the renderer reads besides the row (from `users` and `meeting_types`).
    struct Details: Sendable {
        var host: NotificationDirectory.Host
        var meetingTypeName: String
        /// The invitee's cancel token, opened; nil when the row has none (host emails) or it cannot be opened.
        var cancelToken: String?
    }

    let templates: EmailTemplates
    /// `PUBLIC_BASE_URL`, without a trailing slash.
    let publicBaseURL: String
    let times = MeetingTimeFormatter()

    init(templates: EmailTemplates, publicBaseURL: String) {
        self.templates = templates
        var base = publicBaseURL
        while base.hasSuffix("/") { base.removeLast() }
        self.publicBaseURL = base
    }

    func render(_ notification: ScheduledNotification, details: Details, now: Date) throws -> RenderedEmail {
        let name = notification.kind.templateName
        var context = baseContext(notification, details: details)
        let subject = try templates.render("\(name).subject", context)
            .trimmingCharacters(in: .whitespacesAndNewlines)
            .replacingOccurrences(of: "\r", with: " ").replacingOccurrences(of: "\n", with: " ")
        context["subject"] = subject
        let text = Self.normalizeBlankLines(try templates.render("\(name).text", context))
        let html = try templates.render("\(name).html", context)
        let calendar = try invitation(notification, details: details, now: now)
        return RenderedEmail(subject: subject, text: text, html: html, calendar: calendar)
    }

    /// The invitee's links: view or cancel, and reschedule.
    func links(bookingID: UUID, token: String) -> [String: String] {
        let id = bookingID.uuidString.lowercased()
        let query = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics.union(CharacterSet(charactersIn: "-_.~"))) ?? token
        return [
            "cancelURL": "\(publicBaseURL)/bookings/\(id)?token=\(query)",
            "rescheduleURL": "\(publicBaseURL)/bookings/\(id)/reschedule?token=\(query)",
        ]
    }

    private func baseContext(_ notification: ScheduledNotification, details: Details) -> [String: Any] {
        let forInvitee = notification.role == .invitee
        var context: [String: Any] = [
            "forInvitee": forInvitee,
            "forHost": !forInvitee,
            "hostName": details.host.name,
            "meetingTypeName": details.meetingTypeName,
            "otherParty": forInvitee ? "host" : "invitee",
        ]
        if notification.kind == .reconnectCalendar {
            context["recipientName"] = details.host.name
            context["providerName"] = Self.providerName(notification.payload.provider ?? "")
            context["reconnectURL"] = "\(publicBaseURL)/integrations"
            return context
        }
        guard let booking = notification.payload.booking else { return context }
        let inviteeZone = booking.inviteeTimezone
        let hostZone = details.host.timeZone
        let (yourZone, otherZone) = forInvitee ? (inviteeZone, hostZone) : (hostZone, inviteeZone)
        let yours = times.localTime(booking.startTime, in: yourZone)
        let others = times.localTime(booking.startTime, in: otherZone)
        context["recipientName"] = forInvitee ? booking.inviteeName : details.host.name
        context["otherName"] = forInvitee ? details.host.name : booking.inviteeName
        context["inviteeName"] = booking.inviteeName
        context["inviteeEmail"] = booking.inviteeEmail
        context["durationMinutes"] = Int((booking.endTime.timeIntervalSince(booking.startTime) / 60).rounded())
        context["yourPlace"] = yours.place
        context["yourWhen"] = yours.text
        context["otherPlace"] = others.place
        context["otherWhen"] = others.text
        context["dayAhead"] = notification.kind == .reminder24h
        if let previous = notification.payload.previous {
            let previousYours = times.localTime(previous.startTime, in: yourZone)
            let previousOthers = times.localTime(previous.startTime, in: otherZone)
            context["previousYourPlace"] = previousYours.place
            context["previousYourWhen"] = previousYours.text
            context["previousOtherPlace"] = previousOthers.place
            context["previousOtherWhen"] = previousOthers.text
        }
        if let reason = notification.payload.reason, !reason.isEmpty { context["reason"] = reason }
        if let cancelledBy = notification.payload.cancelledBy {
            context["cancelledByYou"] = cancelledBy == notification.role.rawValue
        }
        if forInvitee, notification.kind != .cancellation, let token = details.cancelToken {
            context["links"] = links(bookingID: booking.id, token: token)
        }
        return context
    }

    private func invitation(_ notification: ScheduledNotification, details: Details, now: Date) throws -> RenderedEmail.Calendar? {
        guard notification.kind != .reconnectCalendar, let booking = notification.payload.booking,
              let uid = notification.payload.calendarUID
        else { return nil }
        let cancelling = notification.kind == .cancellation
        let method = cancelling ? "CANCEL" : "REQUEST"
        var description = "\(details.meetingTypeName) between \(details.host.name) and \(booking.inviteeName)."
        if notification.role == .invitee, !cancelling, let token = details.cancelToken {
            let links = links(bookingID: booking.id, token: token)
            description += "\nReschedule: \(links["rescheduleURL"]!)\nCancel: \(links["cancelURL"]!)"
        }
        if cancelling, let reason = notification.payload.reason, !reason.isEmpty {
            description += "\nReason: \(reason)"
        }
        let context: [String: Any] = [
            "method": method,
            "uid": ICalendarText.escape(uid),
            "sequence": notification.payload.calendarSequence ?? 0,
            "stamp": ICalendarText.utc(now),
            "start": ICalendarText.utc(booking.startTime),
            "end": ICalendarText.utc(booking.endTime),
            "summary": ICalendarText.escape("\(details.meetingTypeName): \(details.host.name) and \(booking.inviteeName)"),
            "description": ICalendarText.escape(description),
            "organizerName": ICalendarText.parameter(details.host.name),
            "organizerEmail": Self.calendarAddress(details.host.email),
            "attendeeName": ICalendarText.parameter(booking.inviteeName),
            "attendeeEmail": Self.calendarAddress(booking.inviteeEmail),
            "status": cancelling ? "CANCELLED" : "CONFIRMED",
        ]
        return RenderedEmail.Calendar(method: method, content: ICalendarText.contentLines(try templates.render("invite.ics", context)))
    }

    /// An address as a `mailto:` URI value: no line breaks or separators that would end the property.
    static func calendarAddress(_ email: String) -> String {
        String(email.unicodeScalars.filter { $0.value > 0x20 && $0 != ";" && $0 != ":" && $0 != "," && $0 != "\"" }.map(Character.init))
    }

    /// "Google", "Microsoft", "CalDAV".
    static func providerName(_ provider: String) -> String {
        switch provider {
        case "google": "Google"
        case "microsoft": "Microsoft Outlook"
        case "caldav": "CalDAV"
        default: provider.isEmpty ? "connected" : provider
        }
    }

    /// At most one blank line in a row, no leading or trailing blank lines, one final newline.
    static func normalizeBlankLines(_ text: String) -> String {
        var lines: [Substring] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty, lines.last.map({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) ?? true { continue }
            lines.append(line)
        }
        while let last = lines.last, last.trimmingCharacters(in: .whitespaces).isEmpty { lines.removeLast() }
        return lines.joined(separator: "\n") + "\n"
    }
}

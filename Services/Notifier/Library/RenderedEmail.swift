/// One email ready to be put into a message: subject, both alternatives, and the invitation.
struct RenderedEmail: Sendable, Equatable {
    /// An iCalendar attachment (`text/calendar; method=…`).
    struct Calendar: Sendable, Equatable {
        /// `REQUEST` or `CANCEL`.
        var method: String
        /// The VCALENDAR object, CRLF lines, folded.
        var content: String
    }

    var subject: String
    var text: String
    var html: String
    var calendar: Calendar?
}

import Foundation

/// An event as a fake holds it now, for tests to assert on what a service wrote.
package struct FakeCalendarEvent: Sendable, Equatable {
    /// The provider's event id.
    package var id: String
    /// Google `summary`, Graph `subject`.
    package var title: String?
    /// When it happens.
    package var timing: FakeEventTiming
    /// Whether it blocks time: Google `transparency` not `transparent`, Graph `showAs` not `free`.
    package var isBusy: Bool
    /// Google `status: tentative`, Graph `showAs: tentative`.
    package var isTentative: Bool
    /// Whether it was deleted (Google keeps cancelled events for incremental sync).
    package var isCancelled: Bool
    /// Google `description`, Graph `body.content`.
    package var description: String?
    /// The attendees' email addresses, in order.
    package var attendees: [String]
    /// The whole resource as the fake would send it.
    package var resource: JSONValue
}

/// A test control was misused.
package enum FakeControlError: Error, Equatable {
    /// No event has this id.
    case unknownEvent(String)
    /// The event would be invalid (e.g. an empty time range).
    case invalidEvent(String)
}

import Foundation

/// One request a fake sent to a client's endpoint (a push, a notification, a validation
/// request), with what the endpoint answered.
package struct FakeDelivery: Sendable {
    /// The channel or subscription id it was for.
    package var channelID: String
    /// Google `X-Goog-Resource-State` (`sync`, `exists`), Graph `changeType`, the lifecycle
    /// event, or `validation`.
    package var kind: String
    /// Where it was sent.
    package var url: String
    /// The headers sent.
    package var headers: [(name: String, value: String)]
    /// The body sent.
    package var body: [UInt8]
    /// The receiver's status, or `nil` when no response arrived.
    package var status: Int?
    /// When it was sent.
    package var time: Date
}

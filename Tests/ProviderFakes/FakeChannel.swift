import Foundation

/// An active Google watch channel or Graph subscription, as tests inspect them.
package struct FakeChannel: Sendable, Equatable {
    /// The channel or subscription id.
    package var id: String
    /// Google's `resourceId`; Graph's `resource`.
    package var resourceID: String
    /// Where notifications go.
    package var address: String
    /// Google's channel `token`; Graph's `clientState`.
    package var token: String?
    /// When it expires.
    package var expiration: Date
}

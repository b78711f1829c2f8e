import Foundation

/// The Redis keys of the availability service's slot cache that other services touch.
///
/// Every cached answer's key contains its host's generation counter: one `INCR` of the counter
/// (the availability service after a schedule edit, the booking service after a booking change)
/// orphans all of that host's entries at once. One definition, since two services spell it.
package enum SlotCacheKeys {
    /// The key of `host`'s generation counter.
    package static func generation(host: UUID) -> String {
        "availability:generation:" + host.uuidString.lowercased()
    }
}

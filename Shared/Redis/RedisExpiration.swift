/// A time to live given to `SET` (`PX` or `EX`).
package enum RedisExpiration: Sendable, Hashable {
    /// Expire after this many milliseconds (`PX`); must be positive.
    case milliseconds(Int)
    /// Expire after this many seconds (`EX`); must be positive.
    case seconds(Int)
}

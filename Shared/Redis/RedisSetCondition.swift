/// When `SET` may write: always, only a missing key (`NX`), or only an existing key (`XX`).
package enum RedisSetCondition: Sendable, Hashable {
    /// Write unconditionally.
    case none
    /// Write only if the key does not exist (`NX`).
    case ifNotExists
    /// Write only if the key already exists (`XX`).
    case ifExists
}

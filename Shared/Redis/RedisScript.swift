/// A Lua script with its SHA-1 computed once, for ``RedisClient/evalsha(_:keys:arguments:)``.
///
/// Keep one instance per script (a `static let` is fine): calls send `EVALSHA` with the cached
/// digest and fall back to `EVAL` (which also loads the script) when the server answers `NOSCRIPT`,
/// e.g. after a restart or `SCRIPT FLUSH`.
package struct RedisScript: Sendable, Hashable {
    /// The Lua source.
    package let source: String
    /// Lowercase hex SHA-1 of the source, as Redis names the script.
    package let sha1: String

    /// A script from its Lua source.
    package init(_ source: String) {
        self.source = source
        self.sha1 = SHA1.hexDigest(Array(source.utf8))
    }
}

/// Typed commands. Keys are text; values are binary-safe bytes, with `String` conveniences.
extension RedisClient {
    /// `PING`: the server's answer, normally `PONG`.
    package func ping() async throws -> String {
        let reply = try await self.command(["PING"])
        guard let text = reply.string else { throw RedisError.unexpectedReply("PING: \(reply)") }
        return text
    }

    /// `GET`: the value's bytes, or `nil` if the key does not exist.
    package func get(_ key: String) async throws -> [UInt8]? {
        let reply = try await self.command([Self.bytes("GET"), Self.bytes(key)])
        switch reply {
        case .null: return nil
        case .bulkString(let bytes): return bytes
        default: throw RedisError.unexpectedReply("GET: \(reply)")
        }
    }

    /// `GET` decoded as UTF-8 text, or `nil` if the key does not exist.
    package func getString(_ key: String) async throws -> String? {
        try await self.get(key).map { String(decoding: $0, as: UTF8.self) }
    }

    /// `SET` with an optional `NX`/`XX` condition and `PX`/`EX` expiry.
    ///
    /// - Returns: whether the value was written (`false` when the condition did not hold).
    @discardableResult
    package func set(
        _ key: String,
        _ value: [UInt8],
        condition: RedisSetCondition = .none,
        expiration: RedisExpiration? = nil
    ) async throws -> Bool {
        var arguments = [Self.bytes("SET"), Self.bytes(key), value]
        switch expiration {
        case .milliseconds(let milliseconds)?:
            arguments += [Self.bytes("PX"), Self.bytes(String(milliseconds))]
        case .seconds(let seconds)?:
            arguments += [Self.bytes("EX"), Self.bytes(String(seconds))]
        case nil:
            break
        }
        switch condition {
        case .none: break
        case .ifNotExists: arguments.append(Self.bytes("NX"))
        case .ifExists: arguments.append(Self.bytes("XX"))
        }
        let reply = try await self.command(arguments)
        switch reply {
        case .status: return true
        case .null: return false
        default: throw RedisError.unexpectedReply("SET: \(reply)")
        }
    }

    /// `SET` of UTF-8 text; returns whether the value was written.
    @discardableResult
    package func set(
        _ key: String,
        _ value: String,
        condition: RedisSetCondition = .none,
        expiration: RedisExpiration? = nil
    ) async throws -> Bool {
        try await self.set(key, Self.bytes(value), condition: condition, expiration: expiration)
    }

    /// `DEL`: how many of the keys existed and were deleted.
    @discardableResult
    package func delete(_ keys: [String]) async throws -> Int {
        guard !keys.isEmpty else { return 0 }
        return try await self.integerCommand(["DEL"] + keys)
    }

    /// `DEL`: how many of the keys existed and were deleted.
    @discardableResult
    package func delete(_ keys: String...) async throws -> Int {
        try await self.delete(keys)
    }

    /// `INCR` (or `INCRBY` when `amount` is not 1): the value after the increment.
    @discardableResult
    package func incr(_ key: String, by amount: Int = 1) async throws -> Int {
        if amount == 1 {
            return try await self.integerCommand(["INCR", key])
        }
        return try await self.integerCommand(["INCRBY", key, String(amount)])
    }

    /// `EXPIRE`: whether the key exists and now has the timeout.
    @discardableResult
    package func expire(_ key: String, seconds: Int) async throws -> Bool {
        try await self.integerCommand(["EXPIRE", key, String(seconds)]) == 1
    }

    /// `PEXPIRE`: whether the key exists and now has the timeout.
    @discardableResult
    package func pexpire(_ key: String, milliseconds: Int) async throws -> Bool {
        try await self.integerCommand(["PEXPIRE", key, String(milliseconds)]) == 1
    }

    /// `TTL` in seconds: -2 if the key does not exist, -1 if it has no expiry.
    package func ttl(_ key: String) async throws -> Int {
        try await self.integerCommand(["TTL", key])
    }

    /// `PTTL` in milliseconds: -2 if the key does not exist, -1 if it has no expiry.
    package func pttl(_ key: String) async throws -> Int {
        try await self.integerCommand(["PTTL", key])
    }

    /// `MGET`: one entry per key, in order, `nil` where the key does not exist.
    package func mget(_ keys: [String]) async throws -> [[UInt8]?] {
        guard !keys.isEmpty else { return [] }
        let reply = try await self.command(["MGET"] + keys)
        guard case .array(let elements) = reply, elements.count == keys.count else {
            throw RedisError.unexpectedReply("MGET: \(reply)")
        }
        return try elements.map { element in
            switch element {
            case .null: return nil
            case .bulkString(let bytes): return bytes
            default: throw RedisError.unexpectedReply("MGET element: \(element)")
            }
        }
    }

    /// `MGET` decoded as UTF-8 text.
    package func mgetStrings(_ keys: [String]) async throws -> [String?] {
        try await self.mget(keys).map { $0.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// `EVAL`: runs a Lua script with `KEYS` and `ARGV`; the reply is whatever the script returns.
    @discardableResult
    package func eval(_ script: String, keys: [String] = [], arguments: [String] = []) async throws -> RedisValue {
        try await self.command(["EVAL", script, String(keys.count)] + keys + arguments)
    }

    /// `EVALSHA` with the script's cached digest, falling back to `EVAL` on `NOSCRIPT`.
    @discardableResult
    package func evalsha(_ script: RedisScript, keys: [String] = [], arguments: [String] = []) async throws -> RedisValue {
        do {
            return try await self.command(["EVALSHA", script.sha1, String(keys.count)] + keys + arguments)
        } catch let error as RedisError where error.isNoScript {
            // EVAL also stores the script under the same digest, so the next EVALSHA succeeds.
            return try await self.eval(script.source, keys: keys, arguments: arguments)
        }
    }

    /// `PUBLISH`: how many subscribers received the message.
    @discardableResult
    package func publish(_ message: [UInt8], to channel: String) async throws -> Int {
        let reply = try await self.command([Self.bytes("PUBLISH"), Self.bytes(channel), message])
        return try Self.integer(reply, "PUBLISH")
    }

    /// `PUBLISH` of UTF-8 text: how many subscribers received the message.
    @discardableResult
    package func publish(_ message: String, to channel: String) async throws -> Int {
        try await self.publish(Self.bytes(message), to: channel)
    }

    private func integerCommand(_ arguments: [String]) async throws -> Int {
        try Self.integer(try await self.command(arguments), arguments[0])
    }

    private static func integer(_ reply: RedisValue, _ command: String) throws -> Int {
        guard case .integer(let value) = reply else {
            throw RedisError.unexpectedReply("\(command): \(reply)")
        }
        return Int(value)
    }

    private static func bytes(_ text: String) -> [UInt8] {
        Array(text.utf8)
    }
}

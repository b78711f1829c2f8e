import CRedis
import NIOPosix

/// One blocking hiredis connection.
///
/// Every method blocks the calling thread: call them only on a thread the client owns (its
/// `NIOThreadPool`), never on an event loop or the cooperative pool.
///
/// `@unchecked Sendable` is safe because the pool hands a connection to exactly one caller at a
/// time (exclusive checkout), and that caller touches it only inside one thread-pool work item;
/// the pool's actor isolation orders those uses one after another.
final class RedisConnection: @unchecked Sendable {
    /// The hiredis context; owned by this object and freed in `deinit`.
    private let context: UnsafeMutablePointer<redisContext>
    /// The pool generation this connection was opened in; older ones are closed on return.
    let generation: Int
    /// Set once an I/O, EOF, protocol or timeout error leaves the stream in an unknown state.
    private(set) var isBroken = false

    /// Opens, authenticates and selects the database; blocks for up to the connect timeout.
    init(configuration: RedisConfiguration, generation: Int) throws(RedisError) {
        ignoreSIGPIPEOnce()
        guard
            let context = redisConnectWithTimeout(
                configuration.host,
                Int32(clamping: configuration.port),
                timeval(configuration.connectTimeout)
            )
        else {
            throw .connectionFailed("out of memory")
        }
        if context.pointee.err != 0 {
            let detail = Self.errorText(context)
            redisFree(context)
            throw .connectionFailed(detail)
        }
        self.context = context
        self.generation = generation
        guard redisSetTimeout(context, timeval(configuration.commandTimeout)) == REDIS_OK else {
            throw .connectionFailed("cannot set the socket timeout")
        }
        _ = redisEnableKeepAlive(context)
        do throws(RedisError) {
            if let password = configuration.password {
                var auth: [String] = ["AUTH"]
                if let username = configuration.username { auth.append(username) }
                auth.append(password)
                _ = try self.send(auth.map { Array($0.utf8) })
            }
            if configuration.database != 0 {
                _ = try self.send([Array("SELECT".utf8), Array(String(configuration.database).utf8)])
            }
        } catch .server(let message) {
            // The reply text does not echo the password (e.g. "WRONGPASS invalid username-password pair").
            throw .connectionFailed(message)
        }
    }

    deinit {
        // Closes the socket and frees the buffers; `close(2)` on a TCP socket without
        // SO_LINGER does not block.
        redisFree(self.context)
    }

    /// Sends one command and reads its reply; throws ``RedisError/server(message:)`` for an error reply.
    ///
    /// - Precondition: the connection is not broken.
    func send(_ arguments: [[UInt8]]) throws(RedisError) -> RedisValue {
        precondition(!self.isBroken, "a broken Redis connection must be discarded")
        precondition(!arguments.isEmpty, "a Redis command needs at least its name")
        // All arguments in one buffer (plus a trailing byte so it is never empty), addressed by offset.
        var buffer: [UInt8] = []
        buffer.reserveCapacity(arguments.reduce(1) { $0 + $1.count })
        var offsets: [Int] = []
        var lengths: [Int] = []
        offsets.reserveCapacity(arguments.count)
        lengths.reserveCapacity(arguments.count)
        for argument in arguments {
            offsets.append(buffer.count)
            lengths.append(argument.count)
            buffer.append(contentsOf: argument)
        }
        buffer.append(0)

        let (reply, savedErrno): (UnsafeMutablePointer<redisReply>?, Int32) = buffer.withUnsafeBufferPointer { bytes in
            let base = UnsafeRawPointer(bytes.baseAddress!)
            var pointers: [UnsafePointer<CChar>?] = offsets.map {
                (base + $0).assumingMemoryBound(to: CChar.self)
            }
            return pointers.withUnsafeMutableBufferPointer { argv in
                lengths.withUnsafeBufferPointer { argvlen in
                    errno = 0
                    let reply = rz_redis_command_argv(
                        self.context, Int32(argv.count), argv.baseAddress, argvlen.baseAddress)
                    return (reply, errno)
                }
            }
        }
        guard let reply else {
            throw self.failure(errnoAfterCall: savedErrno)
        }
        defer { freeReplyObject(reply) }
        let value = try Self.value(of: reply)
        if case .error(let message) = value {
            throw .server(message: message)
        }
        return value
    }

    /// Blocks for the next reply the server pushes without a command (a subscribed connection's
    /// messages); a command timeout counts as a failure and breaks the connection.
    func receive() throws(RedisError) -> RedisValue {
        precondition(!self.isBroken, "a broken Redis connection must be discarded")
        var raw: UnsafeMutableRawPointer?
        errno = 0
        let status = redisGetReply(self.context, &raw)
        let savedErrno = errno
        guard status == REDIS_OK, let raw else {
            throw self.failure(errnoAfterCall: savedErrno)
        }
        let reply = raw.assumingMemoryBound(to: redisReply.self)
        defer { freeReplyObject(reply) }
        return try Self.value(of: reply)
    }

    /// Marks the connection broken and maps the context's error to a ``RedisError``.
    private func failure(errnoAfterCall: Int32) -> RedisError {
        self.isBroken = true
        let code = self.context.pointee.err
        let detail = Self.errorText(self.context)
        // With SO_RCVTIMEO/SO_SNDTIMEO set, a blocked read or write fails with EAGAIN.
        if code == REDIS_ERR_IO && (errnoAfterCall == EAGAIN || errnoAfterCall == EWOULDBLOCK) {
            return .timeout
        }
        switch code {
        case REDIS_ERR_IO, REDIS_ERR_EOF: return .connectionLost(detail)
        case REDIS_ERR_PROTOCOL: return .unexpectedReply(detail)
        default: return .connectionLost(detail)
        }
    }

    /// Copies a hiredis reply tree into a ``RedisValue``.
    private static func value(of reply: UnsafeMutablePointer<redisReply>) throws(RedisError) -> RedisValue {
        let node = reply.pointee
        switch node.type {
        case REDIS_REPLY_STRING:
            return .bulkString(Self.bytes(node.str, count: node.len))
        case REDIS_REPLY_STATUS:
            return .status(String(decoding: Self.bytes(node.str, count: node.len), as: UTF8.self))
        case REDIS_REPLY_ERROR:
            return .error(String(decoding: Self.bytes(node.str, count: node.len), as: UTF8.self))
        case REDIS_REPLY_INTEGER:
            return .integer(node.integer)
        case REDIS_REPLY_NIL:
            return .null
        case REDIS_REPLY_ARRAY:
            var elements: [RedisValue] = []
            elements.reserveCapacity(node.elements)
            for index in 0..<node.elements {
                guard let element = node.element[index] else {
                    throw .unexpectedReply("array element \(index) missing")
                }
                elements.append(try Self.value(of: element))
            }
            return .array(elements)
        default:
            throw .unexpectedReply("reply type \(node.type)")
        }
    }

    private static func bytes(_ pointer: UnsafeMutablePointer<CChar>?, count: Int) -> [UInt8] {
        guard let pointer, count > 0 else { return [] }
        return Array(UnsafeRawBufferPointer(start: pointer, count: count))
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            let text = raw.prefix { $0 != 0 }
            return String(decoding: text, as: UTF8.self)
        }
    }
}

extension timeval {
    /// A `timeval` for a non-negative duration (sub-microsecond parts are dropped).
    fileprivate init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let micros = attoseconds / 1_000_000_000_000
        self.init(tv_sec: Int(max(0, seconds)), tv_usec: Int(max(0, micros)))
    }
}

/// Writing to a socket the server has reset raises SIGPIPE, which would end the process;
/// hiredis uses plain `write(2)`, so ignore the signal process-wide once (as SwiftNIO does on Linux).
private let ignoredSIGPIPE: Bool = {
    _ = signal(SIGPIPE, SIG_IGN)
    return true
}()

private func ignoreSIGPIPEOnce() {
    _ = ignoredSIGPIPE
}

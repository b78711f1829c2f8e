import CAMQP
import Glibc

/// AMQP method ids (class << 16 | method) that rabbitmq-c defines as casted macros Swift cannot import.
enum AMQPMethod {
    static let connectionClose: amqp_method_number_t = 0x000A_0032
    static let connectionCloseOK: amqp_method_number_t = 0x000A_0033
    static let connectionBlocked: amqp_method_number_t = 0x000A_003C
    static let connectionUnblocked: amqp_method_number_t = 0x000A_003D
    static let channelClose: amqp_method_number_t = 0x0014_0028
    static let channelCloseOK: amqp_method_number_t = 0x0014_0029
    static let basicCancel: amqp_method_number_t = 0x003C_001E
    static let basicReturn: amqp_method_number_t = 0x003C_0032
    static let basicDeliver: amqp_method_number_t = 0x003C_003C
    static let basicAck: amqp_method_number_t = 0x003C_0050
    static let basicNack: amqp_method_number_t = 0x003C_0078
}

/// One logged-in rabbitmq-c connection and the channels open on it.
///
/// Not thread-safe, like rabbitmq-c itself: it is created, used and destroyed by the one thread
/// of its ``AMQPConnectionLoop``. Once `isBroken` is set the handle is only good for destroying.
final class AMQPNativeConnection {
    /// The rabbitmq-c connection state.
    let state: amqp_connection_state_t
    /// Set when the socket or the protocol state can no longer be trusted.
    private(set) var isBroken = false
    private var openChannels: Set<amqp_channel_t> = []
    private var isDestroyed = false

    /// Opens a TCP connection, logs in and sets the RPC timeout; throws `.connectionFailed`.
    init(configuration: AMQPConfiguration) throws(AMQPError) {
        guard let state = amqp_new_connection() else {
            throw AMQPError(.connectionFailed, detail: "amqp_new_connection failed")
        }
        self.state = state
        do throws(AMQPError) {
            guard let socket = amqp_tcp_socket_new(state) else {
                throw AMQPError(.connectionFailed, detail: "amqp_tcp_socket_new failed")
            }
            var connectTimeout = timeval(configuration.connectTimeout)
            let opened = configuration.host.withCString { amqp_socket_open_noblock(socket, $0, Int32(configuration.port), &connectTimeout) }
            guard opened == AMQP_STATUS_OK.rawValue else {
                throw AMQPError(.connectionFailed, detail: "connect to \(configuration): \(Self.statusText(opened))")
            }
            var rpcTimeout = timeval(configuration.rpcTimeout)
            amqp_set_handshake_timeout(state, &rpcTimeout)
            amqp_set_rpc_timeout(state, &rpcTimeout)
            let reply = configuration.virtualHost.withCString { vhost in
                configuration.user.withCString { user in
                    configuration.password.withCString { password in
                        rz_amqp_login_plain(state, vhost, 0, 131_072, Int32(configuration.heartbeatSeconds), user, password)
                    }
                }
            }
            do {
                try check(reply, channel: 0, context: "login")
            } catch {
                throw AMQPError(.connectionFailed, replyCode: error.replyCode, detail: "login to \(configuration): \(error.detail)")
            }
        } catch {
            destroy()
            throw error
        }
    }

    deinit {
        destroy()
    }

    /// The socket's file descriptor, for `poll`.
    var socketDescriptor: Int32 { amqp_get_sockfd(state) }

    /// Whether rabbitmq-c holds frames or bytes already read from the socket (which `poll` cannot see).
    var hasBufferedInput: Bool { amqp_frames_enqueued(state) != 0 || amqp_data_in_buffer(state) != 0 }

    /// Whether `channel` is open.
    func isOpen(_ channel: amqp_channel_t) -> Bool { openChannels.contains(channel) }

    /// Opens `channel` unless it is open; returns true if it had to be opened.
    @discardableResult
    func ensureOpen(_ channel: amqp_channel_t) throws(AMQPError) -> Bool {
        guard !openChannels.contains(channel) else { return false }
        amqp_channel_open(state, channel)
        try checkLastReply(channel: channel, context: "channel.open")
        openChannels.insert(channel)
        return true
    }

    /// Checks the reply of the last synchronous call (declare, bind, qos…) on `channel`.
    func checkLastReply(channel: amqp_channel_t, context: String) throws(AMQPError) {
        try check(amqp_get_rpc_reply(state), channel: channel, context: context)
    }

    /// Turns a reply into success or a typed error, answering a broker close and marking the
    /// connection broken or the channel closed as needed.
    func check(_ reply: amqp_rpc_reply_t, channel: amqp_channel_t, context: String) throws(AMQPError) {
        switch reply.reply_type {
        case AMQP_RESPONSE_NORMAL:
            return
        case AMQP_RESPONSE_LIBRARY_EXCEPTION:
            isBroken = true
            throw AMQPError(.connectionLost, detail: "\(context): \(Self.statusText(reply.library_error))")
        case AMQP_RESPONSE_SERVER_EXCEPTION:
            switch reply.reply.id {
            case AMQPMethod.connectionClose:
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_connection_close_t.self).pointee
                answerConnectionClose()
                throw AMQPError(.connectionLost, replyCode: close.reply_code, detail: "\(context): \(close.reply_text.string)")
            case AMQPMethod.channelClose:
                let close = reply.reply.decoded.assumingMemoryBound(to: amqp_channel_close_t.self).pointee
                answerChannelClose(channel)
                throw AMQPError(.channelClosed, replyCode: close.reply_code, detail: "\(context): \(close.reply_text.string)")
            default:
                isBroken = true
                throw AMQPError(.protocolError, detail: "\(context): unexpected method \(reply.reply.id)")
            }
        default:
            isBroken = true
            throw AMQPError(.protocolError, detail: "\(context): no reply")
        }
    }

    /// Checks the status of an asynchronous send (publish, ack); any failure breaks the connection.
    func check(status: Int32, context: String) throws(AMQPError) {
        guard status != AMQP_STATUS_OK.rawValue else { return }
        isBroken = true
        throw AMQPError(.connectionLost, detail: "\(context): \(Self.statusText(status))")
    }

    /// The next frame if one arrives within `timeout` (zero: only what is already there), else nil.
    ///
    /// Also lets rabbitmq-c send due heartbeats and notice a silent broker.
    func nextFrame(timeout: Duration) throws(AMQPError) -> amqp_frame_t? {
        var frame = amqp_frame_t()
        var wait = timeval(timeout)
        let status = amqp_simple_wait_frame_noblock(state, &frame, &wait)
        if status == AMQP_STATUS_TIMEOUT.rawValue { return nil }
        try check(status: status, context: "wait for frame")
        return frame
    }

    /// Reads the content header and body frames that follow a basic.deliver or basic.return.
    func readMessage(channel: amqp_channel_t) throws(AMQPError) -> (properties: AMQPMessageProperties, body: [UInt8]) {
        var message = amqp_message_t()
        let reply = amqp_read_message(state, channel, &message, 0)
        guard reply.reply_type == AMQP_RESPONSE_NORMAL else {
            try check(reply, channel: channel, context: "read message")
            throw AMQPError(.protocolError, detail: "read message")
        }
        defer { amqp_destroy_message(&message) }
        return (AMQPMessageProperties(message.properties), message.body.array)
    }

    /// Frees rabbitmq-c's frame memory when no decoded frame is still queued in it.
    func releaseBuffersIfIdle() {
        guard amqp_frames_enqueued(state) == 0 else { return }
        amqp_maybe_release_buffers(state)
    }

    /// Answers a broker's channel.close and forgets the channel (it must be opened again).
    func answerChannelClose(_ channel: amqp_channel_t) {
        var ok = amqp_channel_close_ok_t()
        _ = amqp_send_method(state, channel, AMQPMethod.channelCloseOK, &ok)
        openChannels.remove(channel)
    }

    /// Answers a broker's connection.close; the connection is finished.
    func answerConnectionClose() {
        var ok = amqp_connection_close_ok_t()
        _ = amqp_send_method(state, 0, AMQPMethod.connectionCloseOK, &ok)
        isBroken = true
    }

    /// Closes the connection politely if it still works, then frees it.
    func close() {
        guard !isDestroyed else { return }
        if !isBroken {
            var quick = timeval(tv_sec: 2, tv_usec: 0)
            amqp_set_rpc_timeout(state, &quick)
            _ = amqp_connection_close(state, 200)
        }
        destroy()
    }

    private func destroy() {
        guard !isDestroyed else { return }
        isDestroyed = true
        isBroken = true
        openChannels.removeAll()
        amqp_destroy_connection(state)
    }

    /// rabbitmq-c's text for a status code.
    static func statusText(_ status: Int32) -> String {
        guard let text = amqp_error_string2(status) else { return "status \(status)" }
        return String(cString: text)
    }
}

extension timeval {
    /// A timeval for a non-negative duration (microsecond precision).
    init(_ duration: Duration) {
        guard duration > .zero else {
            self.init(tv_sec: 0, tv_usec: 0)
            return
        }
        let components = duration.components
        self.init(tv_sec: Int(components.seconds), tv_usec: Int(components.attoseconds / 1_000_000_000_000))
    }
}

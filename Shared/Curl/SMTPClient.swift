import CCurl
import Logging
import NIOCore
import NIOPosix

/// Sends ready-made RFC 5322 messages to one SMTP server with libcurl.
///
/// Each send blocks a thread of the client's own `NIOThreadPool`. Handles are kept between
/// sends, so consecutive messages reuse the SMTP session (libcurl drops it after about two
/// idle minutes). ``send(_:from:to:)`` returns once the server answered `250` to the message.
///
/// Call ``shutdown()`` before the client is released.
package final class SMTPClient: Sendable {
    /// Where messages go.
    package let endpoint: SMTPEndpoint
    private let connectTimeout: Duration
    private let timeout: Duration
    private let threadPool: NIOThreadPool
    private let handles: CurlEasyHandlePool
    private let logger: Logger

    /// A client for `endpoint`, with `numberOfThreads` sends at a time.
    package init(
        endpoint: SMTPEndpoint,
        numberOfThreads: Int = 2,
        connectTimeout: Duration = .seconds(10),
        timeout: Duration = .seconds(60),
        logger: Logger = Logger(label: "rendezvous.smtp-client")
    ) {
        precondition(numberOfThreads > 0, "a client needs at least one thread")
        self.endpoint = endpoint
        self.connectTimeout = connectTimeout
        self.timeout = timeout
        self.logger = logger
        handles = CurlEasyHandlePool(maxIdle: numberOfThreads)
        threadPool = NIOThreadPool(numberOfThreads: numberOfThreads)
        threadPool.start()
    }

    /// A client for an `SMTP_URL` (see ``SMTPEndpoint``); throws ``SMTPError`` with kind
    /// `invalidConfiguration` when the URL is not usable.
    package convenience init(url: String, numberOfThreads: Int = 2, logger: Logger = Logger(label: "rendezvous.smtp-client")) throws {
        self.init(endpoint: try SMTPEndpoint(url: url), numberOfThreads: numberOfThreads, logger: logger)
    }

    /// Sends `message` (headers and body, CRLF line ends) with envelope sender `from` to
    /// every address in `recipients`; returns when the server accepted it.
    ///
    /// The envelope is not read from the message's own headers: `Bcc` recipients go in
    /// `recipients` only. Addresses are bare (`a@example.com`); libcurl adds the angle brackets.
    /// Throws ``SMTPError`` (see ``SMTPError/isTransient``) or `CancellationError`.
    package func send(_ message: [UInt8], from sender: String, to recipients: [String]) async throws {
        if let problem = Self.validate(sender: sender, recipients: recipients) {
            throw SMTPError(kind: .invalidEnvelope, detail: problem)
        }
        let cancellation = CurlCancellation()
        let started = ContinuousClock.now
        let outcome: Result<Void, SMTPError>
        do {
            outcome = try await withTaskCancellationHandler {
                try await threadPool.runIfActive { [handles, endpoint, connectTimeout, timeout] in
                    try handles.withHandle { handle in
                        Self.perform(
                            message, from: sender, to: recipients, on: handle, endpoint: endpoint,
                            connectTimeout: connectTimeout, timeout: timeout, cancellation: cancellation
                        )
                    }
                }
            } onCancel: {
                cancellation.cancel()
            }
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw SMTPError(kind: .shutdown, detail: "the client was shut down")
        } catch is CancellationError where !Task.isCancelled {
            // The pool refuses work after shutdown with a CancellationError of its own.
            throw SMTPError(kind: .shutdown, detail: "the client was shut down")
        } catch let failure as CurlFailure {
            throw SMTPError(failure, replyCode: 0, messageSent: false)
        }
        if cancellation.isCancelled { throw CancellationError() }
        try outcome.get()
        logger.debug("SMTP message accepted", metadata: [
            "smtp.recipients": "\(recipients.count)",
            "smtp.bytes": "\(message.count)",
            "smtp.duration_ms": "\((ContinuousClock.now - started).milliseconds)",
        ])
    }

    /// Ends kept sessions (`QUIT`) and stops the threads; sends after this fail with `shutdown`.
    package func shutdown() async throws {
        try? await threadPool.runIfActive { [handles] in handles.removeAll() }
        try await threadPool.shutdownGracefully()
    }

    /// Runs one SMTP transaction on `handle`; called on a thread-pool thread.
    private static func perform(
        _ message: [UInt8],
        from sender: String,
        to recipients: [String],
        on handle: CurlEasyHandle,
        endpoint: SMTPEndpoint,
        connectTimeout: Duration,
        timeout: Duration,
        cancellation: CurlCancellation
    ) -> Result<Void, SMTPError> {
        let state = CurlTransferState(upload: message, cancellation: cancellation)
        do {
            try handle.set(CURLOPT_URL, endpoint.curlURL)
            try handle.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps")
            try handle.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, connectTimeout.milliseconds))
            try handle.set(CURLOPT_TIMEOUT_MS, max(1, timeout.milliseconds))
            switch endpoint.security {
            case .none: try handle.set(CURLOPT_USE_SSL, Int(CURLUSESSL_NONE.rawValue))
            case .startTLSIfOffered: try handle.set(CURLOPT_USE_SSL, Int(CURLUSESSL_TRY.rawValue))
            case .startTLSRequired, .implicitTLS: try handle.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue))
            }
            if let user = endpoint.user { try handle.set(CURLOPT_USERNAME, user) }
            if let password = endpoint.password { try handle.set(CURLOPT_PASSWORD, password) }
            try handle.set(CURLOPT_MAIL_FROM, sender)
            let recipientList = try CurlStringList(recipients)
            try handle.set(CURLOPT_MAIL_RCPT, list: recipientList)
            try handle.set(CURLOPT_UPLOAD, 1)
            try handle.set(CURLOPT_INFILESIZE_LARGE, offset: Int64(message.count))
            try state.install(on: handle)

            let code = withExtendedLifetime((state, recipientList)) { handle.perform() }
            guard code == CURLE_OK else {
                return .failure(SMTPError(handle.failure(code), replyCode: handle.responseCode, messageSent: state.uploadFinished))
            }
            return .success(())
        } catch {
            return .failure(SMTPError(error, replyCode: 0, messageSent: false))
        }
    }

    /// Why the envelope cannot be sent, or `nil`. A line break in an address would let it
    /// inject SMTP commands.
    private static func validate(sender: String, recipients: [String]) -> String? {
        func isUnsafe(_ address: String) -> Bool {
            address.utf8.contains { $0 == 0 || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\n") }
        }
        if isUnsafe(sender) { return "sender has a line break" }
        if recipients.isEmpty { return "no recipient" }
        if recipients.contains(where: { $0.isEmpty || isUnsafe($0) }) { return "recipient empty or with a line break" }
        return nil
    }
}

import CCurl
import Logging
import NIOCore
import NIOPosix

/// An HTTP/1.1 and HTTPS client on libcurl's easy interface.
///
/// Every transfer blocks a thread of the client's own `NIOThreadPool`, never an event loop or
/// the cooperative pool; at most ``Configuration/numberOfThreads`` transfers run at once and
/// the rest wait their turn. Easy handles are kept between transfers, so a later request to
/// the same host reuses the open connection. Cancelling the calling task aborts the transfer
/// within about a second.
///
/// Call ``shutdown()`` before the client is released.
package final class CurlHTTPClient: Sendable {
    /// How the client runs.
    package struct Configuration: Sendable {
        /// Threads, and so transfers that can run at the same time.
        package var numberOfThreads: Int
        /// Whether handles (and their open connections) are kept between transfers; `false`
        /// makes a new handle and connection for every request.
        package var reusesConnections: Bool
        /// The `User-Agent` sent when a request sets none.
        package var userAgent: String

        /// A configuration; the defaults suit calls to a few API hosts.
        package init(numberOfThreads: Int = 8, reusesConnections: Bool = true, userAgent: String = "Rendezvous (libcurl)") {
            precondition(numberOfThreads > 0, "a client needs at least one thread")
            self.numberOfThreads = numberOfThreads
            self.reusesConnections = reusesConnections
            self.userAgent = userAgent
        }
    }

    private let configuration: Configuration
    private let threadPool: NIOThreadPool
    private let handles: CurlEasyHandlePool
    private let logger: Logger

    /// Starts the client's threads.
    package init(configuration: Configuration = Configuration(), logger: Logger = Logger(label: "rendezvous.http-client")) {
        self.configuration = configuration
        self.logger = logger
        handles = CurlEasyHandlePool(maxIdle: configuration.reusesConnections ? configuration.numberOfThreads : 0)
        threadPool = NIOThreadPool(numberOfThreads: configuration.numberOfThreads)
        threadPool.start()
    }

    /// Sends `request` and returns the response, whatever its status.
    ///
    /// Throws ``HTTPClientError`` when no acceptable response arrived (timeout, connection
    /// refused, TLS failure, body over the limit, …) and `CancellationError` when the task was
    /// cancelled.
    package func execute(_ request: HTTPClientRequest, logger: Logger? = nil) async throws -> HTTPClientResponse {
        let logger = logger ?? self.logger
        let cancellation = CurlCancellation()
        let started = ContinuousClock.now
        let outcome: Result<HTTPClientResponse, HTTPClientError>
        do {
            outcome = try await withTaskCancellationHandler {
                try await threadPool.runIfActive { [handles, configuration] in
                    try handles.withHandle { handle in
                        Self.perform(request, on: handle, configuration: configuration, cancellation: cancellation)
                    }
                }
            } onCancel: {
                cancellation.cancel()
            }
        } catch is NIOThreadPoolError.ThreadPoolInactive {
            throw HTTPClientError(kind: .shutdown, detail: "the client was shut down")
        } catch is CancellationError where !Task.isCancelled {
            // The pool refuses work after shutdown with a CancellationError of its own.
            throw HTTPClientError(kind: .shutdown, detail: "the client was shut down")
        } catch let failure as CurlFailure {
            throw HTTPClientError(failure)
        }
        if cancellation.isCancelled { throw CancellationError() }
        let response = try outcome.get()
        logger.debug("HTTP request completed", metadata: [
            "http.method": "\(request.method)",
            "http.status": "\(response.status)",
            "http.duration_ms": "\((ContinuousClock.now - started).milliseconds)",
        ])
        return response
    }

    /// Frees the kept handles (closing their connections) and stops the threads; requests
    /// after this fail with `shutdown`.
    package func shutdown() async throws {
        try? await threadPool.runIfActive { [handles] in handles.removeAll() }
        try await threadPool.shutdownGracefully()
    }

    /// Runs one transfer on `handle`; called on a thread-pool thread.
    private static func perform(
        _ request: HTTPClientRequest,
        on handle: CurlEasyHandle,
        configuration: Configuration,
        cancellation: CurlCancellation
    ) -> Result<HTTPClientResponse, HTTPClientError> {
        if let problem = Self.validate(request) {
            return .failure(HTTPClientError(kind: .invalidRequest, detail: problem))
        }
        let state = CurlTransferState(bodyLimit: request.maxResponseBodySize, cancellation: cancellation)
        do {
            try handle.set(CURLOPT_URL, request.url)
            try handle.set(CURLOPT_PROTOCOLS_STR, "http,https")
            try handle.set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
            try handle.set(CURLOPT_FOLLOWLOCATION, request.followRedirects ? 1 : 0)
            try handle.set(CURLOPT_MAXREDIRS, 10)
            try handle.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, request.connectTimeout.milliseconds))
            try handle.set(CURLOPT_TIMEOUT_MS, max(1, request.timeout.milliseconds))
            try handle.set(CURLOPT_MAXFILESIZE_LARGE, offset: Int64(request.maxResponseBodySize))
            try handle.set(CURLOPT_USERAGENT, configuration.userAgent)
            try state.install(on: handle)

            var lines = request.headers.map { field in
                // "Name;" sends a header with an empty value; "Name:" would remove it.
                field.value.isEmpty ? "\(field.name);" : "\(field.name): \(field.value)"
            }
            // No "Expect: 100-continue" round trip, and no Content-Type libcurl would invent.
            lines.append("Expect:")
            if request.body != nil, !request.headers.contains(name: "Content-Type") { lines.append("Content-Type:") }
            let headerList = try CurlStringList(lines)
            try handle.set(CURLOPT_HTTPHEADER, list: headerList)

            let code: CURLcode = try withExtendedLifetime((state, headerList)) {
                if let body = request.body {
                    return try body.withUnsafeBytes { bytes throws(CurlFailure) -> CURLcode in
                        // POSTFIELDS is not copied: the bytes stay valid until perform returns.
                        var empty: UInt8 = 0
                        let base = bytes.baseAddress.map { UnsafeMutableRawPointer(mutating: $0) }
                        try handle.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: Int64(bytes.count))
                        return try withUnsafeMutablePointer(to: &empty) { emptyPointer throws(CurlFailure) -> CURLcode in
                            try handle.set(CURLOPT_POSTFIELDS, pointer: base ?? UnsafeMutableRawPointer(emptyPointer))
                            if request.method != .post { try handle.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue) }
                            return handle.perform()
                        }
                    }
                }
                switch request.method {
                case .get: try handle.set(CURLOPT_HTTPGET, 1)
                case .head: try handle.set(CURLOPT_NOBODY, 1)
                default: try handle.set(CURLOPT_CUSTOMREQUEST, request.method.rawValue)
                }
                return handle.perform()
            }

            guard code == CURLE_OK else {
                if state.exceededBodyLimit {
                    return .failure(HTTPClientError(kind: .responseTooLarge, curlCode: Int(code.rawValue),
                                                    detail: "body over \(request.maxResponseBodySize) bytes"))
                }
                return .failure(HTTPClientError(handle.failure(code)))
            }
            return .success(HTTPClientResponse(status: handle.responseCode, headers: state.headers, body: state.body))
        } catch let failure as CurlFailure {
            return .failure(HTTPClientError(failure))
        } catch {
            // Only CurlFailure is thrown above; the closures' untyped rethrows hide that.
            return .failure(HTTPClientError(kind: .other(curlCode: -1), detail: "\(error)"))
        }
    }

    /// Why `request` cannot be sent as is, or `nil`.
    private static func validate(_ request: HTTPClientRequest) -> String? {
        let forbidden: Set<UInt8> = [0, UInt8(ascii: "\r"), UInt8(ascii: "\n")]
        if request.url.utf8.contains(where: { forbidden.contains($0) || $0 == UInt8(ascii: " ") }) { return "URL has a space or line break" }
        if request.method.rawValue.isEmpty || request.method.rawValue.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F }) {
            return "method is not a token"
        }
        for field in request.headers {
            if field.name.isEmpty || field.name.utf8.contains(where: { $0 <= 0x20 || $0 >= 0x7F || $0 == UInt8(ascii: ":") }) {
                return "header name is not a token"
            }
            if field.value.utf8.contains(where: forbidden.contains) { return "header value has a line break" }
        }
        return nil
    }
}

extension Duration {
    /// Whole milliseconds, rounded down.
    var milliseconds: Int {
        let (seconds, attoseconds) = components
        return Int(seconds) * 1000 + Int(attoseconds / 1_000_000_000_000_000)
    }
}

import CCurl

/// A failed HTTP exchange: no response arrived, or it could not be accepted.
///
/// `description` names only the category (no URL, header or body); `String(reflecting:)` adds
/// libcurl's code and message for logs.
package struct HTTPClientError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, in the categories callers branch on.
    package enum Kind: Sendable, Equatable {
        /// The connect timeout or the total timeout ran out.
        case timeout
        /// No TCP connection could be made (refused, unreachable).
        case couldNotConnect
        /// The host name did not resolve.
        case couldNotResolveHost
        /// The TLS handshake or certificate verification failed.
        case tls
        /// The connection broke or closed before the response was complete.
        case connectionLost
        /// The response body was larger than the request's ``HTTPClientRequest/maxResponseBodySize``.
        case responseTooLarge
        /// The request cannot be sent: a malformed URL, a scheme other than http(s), or a
        /// header with a line break.
        case invalidRequest
        /// The client was shut down.
        case shutdown
        /// Any other libcurl failure, with its `CURLcode`.
        case other(curlCode: Int)
    }

    /// The category.
    package var kind: Kind
    /// libcurl's `CURLcode`, when libcurl reported the failure.
    package var curlCode: Int?
    /// libcurl's or the wrapper's message (for logs only; it may name the host).
    package var detail: String

    /// An error of `kind` with its details.
    package init(kind: Kind, curlCode: Int? = nil, detail: String = "") {
        self.kind = kind
        self.curlCode = curlCode
        self.detail = detail
    }

    /// The category of a libcurl failure.
    init(_ failure: CurlFailure) {
        let code = Int(failure.code.rawValue)
        self.init(kind: Self.kind(forCurlCode: failure.code), curlCode: code, detail: failure.message)
    }

    static func kind(forCurlCode code: CURLcode) -> Kind {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout
        case CURLE_COULDNT_CONNECT:
            return .couldNotConnect
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY:
            return .couldNotResolveHost
        case CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM, CURLE_SSL_CIPHER,
             CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ENGINE_NOTFOUND, CURLE_SSL_ENGINE_SETFAILED, CURLE_SSL_ENGINE_INITFAILED,
             CURLE_SSL_SHUTDOWN_FAILED, CURLE_SSL_CRL_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH,
             CURLE_SSL_INVALIDCERTSTATUS, CURLE_SSL_CLIENTCERT, CURLE_USE_SSL_FAILED:
            return .tls
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM:
            return .connectionLost
        case CURLE_FILESIZE_EXCEEDED:
            return .responseTooLarge
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT:
            return .invalidRequest
        default:
            return .other(curlCode: Int(code.rawValue))
        }
    }

    /// The category only, safe for responses.
    package var description: String { "HTTPClientError(\(kind))" }

    /// The category with every detail, for logs.
    package var debugDescription: String {
        var parts = ["HTTPClientError(\(kind)"]
        if let curlCode { parts.append("curl: \(curlCode)") }
        if !detail.isEmpty { parts.append("detail: \(detail)") }
        return parts.joined(separator: ", ") + ")"
    }
}

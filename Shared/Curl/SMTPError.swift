import CCurl

/// A message that was not accepted, and whether trying again later can help.
///
/// `description` names only the category (no address, no server text); `String(reflecting:)`
/// adds the reply code, libcurl's code and message for logs.
package struct SMTPError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, in the categories callers branch on.
    package enum Kind: Sendable, Equatable {
        /// No connection: the host did not resolve, refused, or did not answer in time.
        case unreachable
        /// A connected session ran out of time.
        case timeout
        /// The connection broke during the session.
        case connectionLost
        /// TLS failed, or `starttls=required` and the server offers no STARTTLS.
        case tls
        /// The server refused the login.
        case authenticationFailed
        /// The server refused the session (its greeting or EHLO was not a 2xx).
        case serverRefused
        /// `MAIL FROM` was rejected.
        case senderRejected
        /// A `RCPT TO` was rejected (libcurl stops at the first rejected recipient).
        case recipientRejected
        /// The server rejected the message after receiving it (the reply to the final `.`).
        case messageRejected
        /// The SMTP URL is not usable.
        case invalidConfiguration
        /// An address is empty or has a line break, or there is no recipient.
        case invalidEnvelope
        /// The client was shut down.
        case shutdown
        /// Any other libcurl failure.
        case other
    }

    /// The category.
    package var kind: Kind
    /// The server's last SMTP reply code (e.g. 550), when one arrived.
    package var replyCode: Int?
    /// libcurl's `CURLcode`, when libcurl reported the failure.
    package var curlCode: Int?
    /// libcurl's or the wrapper's message (for logs only).
    package var detail: String

    /// An error of `kind` with its details.
    package init(kind: Kind, replyCode: Int? = nil, curlCode: Int? = nil, detail: String = "") {
        self.kind = kind
        self.replyCode = replyCode
        self.curlCode = curlCode
        self.detail = detail
    }

    /// Whether sending the same message later may succeed: network trouble and 4xx replies
    /// are transient; 5xx replies, TLS, login and configuration problems are not.
    package var isTransient: Bool {
        switch kind {
        case .unreachable, .timeout, .connectionLost, .shutdown, .other:
            return true
        case .serverRefused, .senderRejected, .recipientRejected, .messageRejected:
            return replyCode.map { (400 ..< 500).contains($0) } ?? true
        case .tls, .authenticationFailed, .invalidConfiguration, .invalidEnvelope:
            return false
        }
    }

    /// The category of a libcurl failure, given the last reply code and whether libcurl had
    /// already sent the whole message (so the failure is the reply to it).
    init(_ failure: CurlFailure, replyCode: Int, messageSent: Bool) {
        let reply = replyCode == 0 ? nil : replyCode
        let kind: Kind
        switch failure.code {
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT:
            kind = .unreachable
        case CURLE_OPERATION_TIMEDOUT:
            kind = reply == nil ? .unreachable : .timeout
        case CURLE_LOGIN_DENIED, CURLE_AUTH_ERROR:
            kind = .authenticationFailed
        case CURLE_USE_SSL_FAILED, CURLE_SSL_CONNECT_ERROR, CURLE_PEER_FAILED_VERIFICATION, CURLE_SSL_CERTPROBLEM,
             CURLE_SSL_CIPHER, CURLE_SSL_CACERT_BADFILE, CURLE_SSL_ISSUER_ERROR, CURLE_SSL_PINNEDPUBKEYNOTMATCH:
            kind = .tls
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            kind = .invalidConfiguration
        case CURLE_SEND_ERROR where failure.message.hasPrefix("RCPT failed"):
            kind = .recipientRejected
        case CURLE_SEND_ERROR where failure.message.hasPrefix("MAIL failed"):
            kind = .senderRejected
        case _ where messageSent && reply.map({ $0 >= 400 }) == true:
            kind = .messageRejected
        case CURLE_WEIRD_SERVER_REPLY where reply.map({ $0 >= 400 }) == true:
            kind = .serverRefused
        case CURLE_GOT_NOTHING, CURLE_SEND_ERROR, CURLE_RECV_ERROR, CURLE_PARTIAL_FILE:
            kind = .connectionLost
        default:
            kind = .other
        }
        self.init(kind: kind, replyCode: reply, curlCode: Int(failure.code.rawValue), detail: failure.message)
    }

    /// The category only, safe for responses.
    package var description: String { "SMTPError(\(kind))" }

    /// The category with every detail, for logs.
    package var debugDescription: String {
        var parts = ["SMTPError(\(kind)"]
        if let replyCode { parts.append("reply: \(replyCode)") }
        if let curlCode { parts.append("curl: \(curlCode)") }
        if !detail.isEmpty { parts.append("detail: \(detail)") }
        return parts.joined(separator: ", ") + ")"
    }
}

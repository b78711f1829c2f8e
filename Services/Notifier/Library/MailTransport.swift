import Curl

/// Hands a finished message to a mail server; ``SMTPClient`` in the service, a double in tests.
package protocol MailTransport: Sendable {
    /// Returns once the server accepted the message; throws ``SMTPError`` (see `isTransient`) otherwise.
    func send(_ message: [UInt8], from sender: String, to recipients: [String]) async throws
}

extension SMTPClient: MailTransport {}

import Foundation

/// Where and how ``SMTPClient`` delivers, parsed from an `SMTP_URL`:
///
///     smtp://[user[:password]@]host[:port][/ehlo-name][?starttls=required|optional|none]
///     smtps://[user[:password]@]host[:port][/ehlo-name]
///
/// - `smtp://` is plain SMTP (port 25 by default; 587 for submission must be written out).
///   `?starttls=required` upgrades with STARTTLS and fails with `tls` when the server does
///   not offer it (`CURLUSESSL_ALL`); `?starttls=optional` upgrades when offered
///   (`CURLUSESSL_TRY`); `none`, the default, never upgrades.
/// - `smtps://` is TLS from the first byte (port 465 by default).
/// - A user (and password), percent-encoded, makes libcurl log in (AUTH PLAIN/LOGIN/…) when
///   the server offers AUTH.
/// - The path, if any, is the name sent in `EHLO` (libcurl sends the machine's host name otherwise).
///
/// Certificates are verified against the system's CA store.
package struct SMTPEndpoint: Sendable, Equatable, CustomStringConvertible {
    /// Whether and how the connection is encrypted.
    package enum Security: Sendable, Equatable {
        /// Plain text throughout.
        case none
        /// STARTTLS when the server offers it, plain text otherwise.
        case startTLSIfOffered
        /// STARTTLS or fail.
        case startTLSRequired
        /// TLS from connect (`smtps://`).
        case implicitTLS
    }

    /// The host name or address.
    package var host: String
    /// The TCP port.
    package var port: Int
    /// The login name, if any.
    package var user: String?
    /// The password, if any.
    package var password: String?
    /// How the connection is encrypted.
    package var security: Security
    /// The `EHLO` name, if set.
    package var ehloName: String?

    /// Parses an SMTP URL (see the type's documentation); throws ``SMTPError`` with kind
    /// `invalidConfiguration` naming what is wrong (never the password).
    package init(url: String) throws {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased() else {
            throw SMTPError(kind: .invalidConfiguration, detail: "SMTP URL does not parse")
        }
        guard let host = components.host, !host.isEmpty else {
            throw SMTPError(kind: .invalidConfiguration, detail: "SMTP URL has no host")
        }
        self.host = host
        user = components.user.flatMap { $0.isEmpty ? nil : $0 }
        password = components.password
        let path = components.path.trimmingCharacters(in: CharacterSet(charactersIn: "/"))
        ehloName = path.isEmpty ? nil : path

        var startTLS = Security.none
        for item in components.queryItems ?? [] {
            switch (item.name.lowercased(), item.value?.lowercased()) {
            case ("starttls", "required"): startTLS = .startTLSRequired
            case ("starttls", "optional"): startTLS = .startTLSIfOffered
            case ("starttls", "none"): startTLS = .none
            default:
                throw SMTPError(kind: .invalidConfiguration, detail: "unknown SMTP URL parameter '\(item.name)'")
            }
        }
        switch scheme {
        case "smtp":
            security = startTLS
            port = components.port ?? 25
        case "smtps":
            guard startTLS == .none else {
                throw SMTPError(kind: .invalidConfiguration, detail: "smtps:// is TLS already; starttls does not apply")
            }
            security = .implicitTLS
            port = components.port ?? 465
        default:
            throw SMTPError(kind: .invalidConfiguration, detail: "SMTP URL scheme must be smtp or smtps")
        }
        guard (1 ... 65535).contains(port) else {
            throw SMTPError(kind: .invalidConfiguration, detail: "SMTP URL port out of range")
        }
    }

    /// The URL handed to libcurl: scheme, host, port and EHLO name, no credentials or query.
    var curlURL: String {
        let scheme = security == .implicitTLS ? "smtps" : "smtp"
        let hostPart = host.contains(":") && !host.hasPrefix("[") ? "[\(host)]" : host
        let ehlo = ehloName.map { "/" + ($0.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? "") } ?? "/"
        return "\(scheme)://\(hostPart):\(port)\(ehlo)"
    }

    /// The endpoint without the password.
    package var description: String {
        let login = user.map { "\($0)@" } ?? ""
        return "SMTPEndpoint(\(security == .implicitTLS ? "smtps" : "smtp")://\(login)\(host):\(port), security: \(security))"
    }
}

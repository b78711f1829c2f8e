import AMQP
import Cryptography
import Foundation
import Redis

/// A configuration variable is missing or invalid; the service stops at start with this message.
package struct ConfigurationError: Error, CustomStringConvertible, Equatable {
    /// The environment variable at fault.
    package var variable: String
    package var reason: String

    package var description: String { "configuration error: \(variable) \(reason)" }
}

/// Reads typed settings from the environment, naming the variable in every error.
package struct EnvironmentReader: Sendable {
    package let environment: [String: String]

    package init(_ environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.environment = environment
    }

    /// A non-empty value, or the default; `nil` default means the variable is required.
    package func string(_ name: String, default fallback: String? = nil) throws -> String {
        if let value = environment[name]?.trimmingCharacters(in: .whitespaces), !value.isEmpty { return value }
        guard let fallback else { throw ConfigurationError(variable: name, reason: "is required but not set") }
        return fallback
    }

    /// A value that may be absent.
    package func optionalString(_ name: String) -> String? {
        environment[name].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// An integer within `range`.
    package func int(_ name: String, default fallback: Int, range: ClosedRange<Int>) throws -> Int {
        guard let text = environment[name], !text.isEmpty else { return fallback }
        guard let value = Int(text), range.contains(value) else {
            throw ConfigurationError(variable: name, reason: "must be an integer in \(range.lowerBound)...\(range.upperBound), got \"\(text)\"")
        }
        return value
    }

    /// A URL whose scheme is one of `schemes`.
    package func url(_ name: String, default fallback: String? = nil, schemes: Set<String>) throws -> String {
        let text = try string(name, default: fallback)
        guard let components = URLComponents(string: text), let scheme = components.scheme?.lowercased(),
              schemes.contains(scheme), components.host?.isEmpty == false
        else {
            throw ConfigurationError(variable: name, reason: "must be a URL with scheme \(schemes.sorted().joined(separator: " or "))")
        }
        return text
    }
}

/// What every service reads from the environment (the README's "Configuration"); defaults point at the local stack.
package struct ServiceConfiguration: Sendable {
    package var host: String
    package var port: Int
    package var databaseURL: String
    package var databaseReplicaURL: String?
    package var databasePoolSize: Int
    package var redisURL: String
    /// `REDIS_URL`, parsed.
    package var redis: RedisConfiguration
    package var amqpURL: String
    /// `AMQP_URL`, parsed.
    package var amqp: AMQPConfiguration
    package var smtpURL: String
    package var mailFrom: String
    /// Signs access tokens; at least 32 bytes.
    package var authSecret: String
    package var publicBaseURL: String
    /// `TOKEN_ENCRYPTION_KEY` (64 hex digits) with its id `TOKEN_ENCRYPTION_KEY_ID` (default 1):
    /// seals secrets at rest. Services that need it call `requireTokenEncryptionKey()`.
    package var tokenEncryptionKey: EncryptionKey?
    /// Whether to apply migrations at start.
    package var migrateOnStart: Bool

    /// Reads and validates the shared settings; `defaultPort` is the service's local-stack port.
    package init(environment: EnvironmentReader = EnvironmentReader(), defaultPort: Int) throws {
        host = try environment.string("HOST", default: "127.0.0.1")
        port = try environment.int("PORT", default: defaultPort, range: 0...65535)
        databaseURL = try environment.url("DATABASE_URL", default: "postgres://rendezvous:rendezvous@127.0.0.1:55432/rendezvous", schemes: ["postgres", "postgresql"])
        if environment.optionalString("DATABASE_REPLICA_URL") != nil {
            databaseReplicaURL = try environment.url("DATABASE_REPLICA_URL", schemes: ["postgres", "postgresql"])
        }
        databasePoolSize = try environment.int("DATABASE_POOL_SIZE", default: 10, range: 1...200)
        redisURL = try environment.url("REDIS_URL", default: "redis://127.0.0.1:56379/0", schemes: ["redis"])
        do {
            redis = try RedisConfiguration(url: redisURL)
        } catch {
            throw ConfigurationError(variable: "REDIS_URL", reason: "is not a valid redis:// URL")
        }
        amqpURL = try environment.url("AMQP_URL", default: "amqp://guest:guest@127.0.0.1:55672/", schemes: ["amqp"])
        do {
            amqp = try AMQPConfiguration(url: amqpURL)
        } catch {
            throw ConfigurationError(variable: "AMQP_URL", reason: "is not a valid amqp:// URL")
        }
        smtpURL = try environment.url("SMTP_URL", default: "smtp://127.0.0.1:55025", schemes: ["smtp", "smtps"])
        mailFrom = try environment.string("MAIL_FROM", default: "noreply@rendezvous.local")
        authSecret = try environment.string("AUTH_SECRET")
        guard authSecret.utf8.count >= 32 else {
            throw ConfigurationError(variable: "AUTH_SECRET", reason: "must be at least 32 characters")
        }
        publicBaseURL = try environment.url("PUBLIC_BASE_URL", default: "http://127.0.0.1:8080", schemes: ["http", "https"])
        migrateOnStart = try environment.string("MIGRATE_ON_START", default: "true") != "false"
        if let hex = environment.optionalString("TOKEN_ENCRYPTION_KEY") {
            let id = try environment.int("TOKEN_ENCRYPTION_KEY_ID", default: 1, range: 0...Int(UInt32.max))
            guard let bytes = try? Hex.decode(hex), let key = try? EncryptionKey(id: UInt32(id), bytes: bytes) else {
                throw ConfigurationError(variable: "TOKEN_ENCRYPTION_KEY", reason: "must be 64 hexadecimal digits (32 bytes)")
            }
            tokenEncryptionKey = key
        }
    }

    /// The encryption key, or the start-up error that names `TOKEN_ENCRYPTION_KEY`.
    package func requireTokenEncryptionKey() throws -> EncryptionKey {
        guard let tokenEncryptionKey else {
            throw ConfigurationError(variable: "TOKEN_ENCRYPTION_KEY", reason: "is required but not set")
        }
        return tokenEncryptionKey
    }
}

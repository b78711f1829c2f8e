import Foundation
import Logging
@testable import Postgres

/// The test database from `DATABASE_URL`, defaulting to the local stack's.
enum TestDatabase {
    static var url: String {
        ProcessInfo.processInfo.environment["DATABASE_URL"]
            ?? "postgres://rendezvous:rendezvous@127.0.0.1:55432/rendezvous_test"
    }

    static func client(maxConnections: Int = 4) -> PostgresClient {
        PostgresClient(
            configuration: PostgresConfiguration(url: url, maxConnections: maxConnections, applicationName: "postgres-tests"),
            logger: Logger(label: "postgres-tests")
        )
    }

    /// A fresh table name so that tests never share state.
    static func freshTable(_ prefix: String) -> String {
        "\(prefix)_\(UUID().uuidString.replacingOccurrences(of: "-", with: "").prefix(12).lowercased())"
    }
}


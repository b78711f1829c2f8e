import Foundation
import Logging
import Postgres

/// Applies the ordered SQL files in `Migrations/` once each, under a PostgreSQL advisory lock, and
/// records them in `schema_migrations`. Every service may run it at start; they serialise on the lock.
package struct DatabaseMigrator: Sendable {
    /// One SQL file: its version is the file name up to the first `_` (`0001_users.sql` → `0001`).
    package struct Migration: Sendable, Equatable {
        package var version: String
        package var name: String
        package var sql: String
    }

    /// An arbitrary constant that names "the schema lock" across all services.
    static let advisoryLockKey: Int64 = 0x52_5a_56_4d_49_47  // "RZVMIG"

    let migrations: [Migration]

    package init(migrations: [Migration]) {
        self.migrations = migrations.sorted { $0.version < $1.version }
    }

    /// The migrations bundled with this module.
    package static func bundled() throws -> DatabaseMigrator {
        guard let folder = Bundle.module.url(forResource: "Migrations", withExtension: nil) else {
            throw ConfigurationError(variable: "Migrations", reason: "resource folder is missing from the bundle")
        }
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "sql" }
        let migrations = try files.map { url in
            let name = url.deletingPathExtension().lastPathComponent
            return Migration(version: String(name.prefix { $0 != "_" }), name: name, sql: try String(contentsOf: url, encoding: .utf8))
        }
        return DatabaseMigrator(migrations: migrations)
    }

    /// Applies what is not applied yet; returns the versions it applied.
    @discardableResult
    package func migrate(_ db: PostgresClient, logger: Logger) async throws -> [String] {
        try await db.withConnection { session in
            try await session.query("SELECT pg_advisory_lock(\(Self.advisoryLockKey))")
            do {
                let applied = try await apply(on: session, logger: logger)
                try await session.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")
                return applied
            } catch {
                _ = try? await session.query("ROLLBACK")
                _ = try? await session.query("SELECT pg_advisory_unlock(\(Self.advisoryLockKey))")
                throw error
            }
        }
    }

    private func apply(on session: PostgresSession, logger: Logger) async throws -> [String] {
        try await session.query("""
            CREATE TABLE IF NOT EXISTS schema_migrations (
                version text PRIMARY KEY,
                name text NOT NULL,
                applied_at timestamptz NOT NULL DEFAULT now()
            )
            """)
        let rows = try await session.query("SELECT version FROM schema_migrations")
        let done = Set(try rows.map { try $0.decode("version", as: String.self) })
        var applied = [String]()
        for migration in migrations where !done.contains(migration.version) {
            try await session.query("BEGIN")
            try await session.executeScript(migration.sql)
            try await session.query("INSERT INTO schema_migrations (version, name) VALUES (\(migration.version), \(migration.name))")
            try await session.query("COMMIT")
            logger.info("migration applied", metadata: ["migration": "\(migration.name)"])
            applied.append(migration.version)
        }
        return applied
    }
}

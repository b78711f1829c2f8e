import Postgres
import ServiceRuntime

extension TestEnvironment {
    /// A client on the test database with the bundled migrations applied.
    ///
    /// Several targets migrate the one test database at once: when a later migration fails there
    /// (another target's concern, or a race), the client is still good if `tables` exist, since
    /// each migration applies in its own transaction and in order.
    package static func migratedDatabase(
        application: String, requiring tables: [String], maxConnections: Int = 8
    ) async throws -> PostgresClient {
        let client = PostgresClient(
            configuration: PostgresConfiguration(url: databaseURL, maxConnections: maxConnections, applicationName: application),
            logger: testLogger("\(application).postgres")
        )
        do {
            try await DatabaseMigrator.bundled().migrate(client, logger: testLogger("\(application).migrations"))
        } catch {
            for table in tables {
                let rows = try await client.query("SELECT to_regclass(\(table)) IS NOT NULL AS ready")
                guard try rows[0].decode("ready", as: Bool.self) else { throw error }
            }
        }
        return client
    }
}

import Foundation
import Logging
import Postgres
import ServiceLifecycle

/// Deletes idempotency records past their retention (48 h: the contract promises at least 24 h).
struct IdempotencyJanitor: Service {
    let database: PostgresClient
    let logger: Logger
    var interval: Duration = .seconds(600)

    func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            do {
                let rows = try await database.query("DELETE FROM booking_idempotency_keys WHERE expires_at < now()")
                if rows.affectedRows > 0 {
                    logger.info("expired idempotency records deleted", metadata: ["count": "\(rows.affectedRows)"])
                }
            } catch {
                logger.warning("idempotency cleanup failed", metadata: ["error": "\(String(reflecting: error))"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
        }
    }
}

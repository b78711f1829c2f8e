import Cryptography
import Foundation
import Logging
import Postgres
import Redis

/// Layer 1: `Idempotency-Key` records. PostgreSQL holds the durable record (claimed before the
/// booking, completed in the booking's own transaction, kept at least 24 hours); Redis holds a
/// hot copy of completed ones for an hour. Response bodies are sealed: they carry the cancel token.
struct IdempotencyStore: Sendable {
    /// What a request with a key may do.
    enum Claim: Sendable, Equatable {
        /// This request owns the key: go on and book.
        case claimed
        /// The key finished before: answer with the first response.
        case replay(status: Int, body: [UInt8])
        /// The key belongs to another request body.
        case mismatch
        /// The first request with this key is still running.
        case inProgress
    }

    let redis: RedisClient
    let encryptionKey: EncryptionKey
    let metrics: BookingMetrics
    let logger: Logger
    /// An in-flight claim older than this belongs to a request that died.
    var claimTimeout: Duration = .seconds(30)
    static let hotTTLSeconds = 3600

    static func redisKey(_ key: String) -> String { "idempotency:booking:\(key)" }

    /// SHA-256 of the body's canonical JSON (sorted keys, no insignificant white space).
    static func requestHash(of body: [UInt8]) -> [UInt8] {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]),
              let canonical = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .fragmentsAllowed])
        else { return SHA256.hash(body) }
        return SHA256.hash(Array(canonical))
    }

    func claim(_ key: String, requestHash: [UInt8], db: PostgresClient) async throws -> Claim {
        if let hot = await hotCopy(key) {
            return ConstantTime.equals(hot.hash, requestHash) ? try replay(status: hot.status, sealed: hot.sealed, key: key) : .mismatch
        }
        let claimedUntil = Date().addingTimeInterval(Double(claimTimeout.components.seconds))
        let inserted = try await db.query("""
            INSERT INTO booking_idempotency_keys (key, request_hash, status, claimed_until)
            VALUES (\(key), \(PostgresBytes(requestHash))::bytea, 'in_flight', \(claimedUntil))
            ON CONFLICT (key) DO UPDATE SET request_hash = EXCLUDED.request_hash, status = 'in_flight',
                claimed_until = EXCLUDED.claimed_until, booking_id = NULL, response_status = NULL,
                response_sealed = NULL, created_at = now(), expires_at = now() + interval '48 hours'
              WHERE booking_idempotency_keys.expires_at < now()
                 OR (booking_idempotency_keys.status = 'in_flight' AND booking_idempotency_keys.claimed_until < now()
                     AND booking_idempotency_keys.request_hash = EXCLUDED.request_hash)
            RETURNING key
            """)
        if !inserted.isEmpty { return .claimed }
        let rows = try await db.query("""
            SELECT request_hash, status, response_status, response_sealed FROM booking_idempotency_keys WHERE key = \(key)
            """)
        guard let row = rows.first else { return .inProgress }  // deleted meanwhile: let the client retry
        let storedHash = try row.decode("request_hash", as: PostgresBytes.self).bytes
        guard ConstantTime.equals(storedHash, requestHash) else { return .mismatch }
        guard try row.decode("status", as: String.self) == "completed",
              let status = try row.decode("response_status", as: Int?.self),
              let sealed = try row.decode("response_sealed", as: PostgresBytes?.self)
        else { return .inProgress }
        await storeHotCopy(key, hash: storedHash, status: status, sealed: sealed.bytes)
        return try replay(status: status, sealed: sealed.bytes, key: key)
    }

    /// Records the response in the booking's transaction, so the key and the booking commit together.
    /// Returns the sealed body for the hot copy.
    func complete(_ key: String, bookingID: UUID, status: Int, body: [UInt8], in session: PostgresSession) async throws -> [UInt8] {
        let sealed = try AESGCM.seal(body, using: encryptionKey, associatedData: Array(key.utf8)).serialized
        try await session.query("""
            UPDATE booking_idempotency_keys
            SET status = 'completed', booking_id = \(bookingID), response_status = \(status),
                response_sealed = \(PostgresBytes(sealed))::bytea
            WHERE key = \(key)
            """)
        return sealed
    }

    /// Gives the key back after a request that failed (a 4xx does not consume it).
    func release(_ key: String, db: PostgresClient) async {
        do {
            try await db.query("DELETE FROM booking_idempotency_keys WHERE key = \(key) AND status = 'in_flight'")
        } catch {
            // The claim times out by itself; a retry with the same body then takes it over.
            logger.warning("idempotency release failed", metadata: ["error": "\(String(reflecting: error))"])
        }
    }

    /// Best effort: a failed write only means the next replay reads PostgreSQL.
    func storeHotCopy(_ key: String, hash: [UInt8], status: Int, sealed: [UInt8]) async {
        let value = Array("\(status).".utf8) + Array(Hex.encode(hash).utf8) + Array(".".utf8) + Array(Base64URL.encode(sealed).utf8)
        do {
            try await redis.set(Self.redisKey(key), value, expiration: .seconds(Self.hotTTLSeconds))
        } catch {
            metrics.redisSkipped("idempotency_store")
        }
    }

    private func hotCopy(_ key: String) async -> (status: Int, hash: [UInt8], sealed: [UInt8])? {
        do {
            guard let value = try await redis.getString(Self.redisKey(key)) else { return nil }
            let parts = value.split(separator: ".")
            guard parts.count == 3, let status = Int(parts[0]) else { return nil }
            return (status, try Hex.decode(parts[1]), try Base64URL.decode(parts[2]))
        } catch {
            metrics.redisSkipped("idempotency_read")
            return nil
        }
    }

    private func replay(status: Int, sealed: [UInt8], key: String) throws -> Claim {
        .replay(status: status, body: try AESGCM.open(serialized: sealed, using: encryptionKey, associatedData: Array(key.utf8)))
    }
}

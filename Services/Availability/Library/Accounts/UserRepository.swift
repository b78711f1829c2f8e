import Foundation
import Postgres

/// The `users` table: accounts, their password hashes and their time zones.
struct UserRepository: Sendable {
    /// A stored account with its password hash (never leaves the service).
    struct Credentials: Sendable {
        var user: User
        var passwordHash: String
    }

    /// Why an insert failed on a unique value.
    enum Duplicate: Error {
        case email
        case slug
    }

    /// Inserts a new account; throws `Duplicate` when the email or the slug is taken.
    func insert(_ user: User, passwordHash: String, in session: PostgresSession) async throws -> User {
        do {
            let rows = try await session.query("""
                INSERT INTO users (id, email, password_hash, name, time_zone, slug)
                VALUES (\(user.id), \(user.email), \(passwordHash), \(user.name), \(user.timeZone), \(user.slug))
                RETURNING id, email, name, time_zone, slug, created_at
                """)
            return try Self.user(rows[0])
        } catch let error as PostgresError where error.kind == .uniqueViolation {
            throw error.constraint == "users_slug_key" ? Duplicate.slug : Duplicate.email
        }
    }

    /// The account with `email` (compared case-insensitively) and its hash.
    func credentials(email: String, in session: PostgresSession) async throws -> Credentials? {
        let rows = try await session.query("""
            SELECT id, email, name, time_zone, slug, created_at, password_hash FROM users
            WHERE lower(email) = lower(\(email))
            """)
        guard let row = rows.first else { return nil }
        return Credentials(user: try Self.user(row), passwordHash: try row.decode("password_hash", as: String.self))
    }

    /// The account `id`.
    func user(id: UUID, in session: PostgresSession) async throws -> User? {
        let rows = try await session.query("""
            SELECT id, email, name, time_zone, slug, created_at FROM users WHERE id = \(id)
            """)
        return try rows.first.map(Self.user)
    }

    /// The account `id`, locked until the transaction ends (serialises schedule changes with bookings).
    func lock(id: UUID, in session: PostgresSession) async throws -> User? {
        let rows = try await session.query("""
            SELECT id, email, name, time_zone, slug, created_at FROM users WHERE id = \(id) FOR UPDATE
            """)
        return try rows.first.map(Self.user)
    }

    /// Changes the name, time zone and slug of account `id`; throws `Duplicate.slug` when the slug is taken.
    func update(id: UUID, name: String, timeZone: String, slug: String, in session: PostgresSession) async throws -> User? {
        do {
            let rows = try await session.query("""
                UPDATE users SET name = \(name), time_zone = \(timeZone), slug = \(slug), updated_at = now() WHERE id = \(id)
                RETURNING id, email, name, time_zone, slug, created_at
                """)
            return try rows.first.map(Self.user)
        } catch let error as PostgresError where error.kind == .uniqueViolation && error.constraint == "users_slug_key" {
            throw Duplicate.slug
        }
    }

    private static func user(_ row: PostgresRow) throws -> User {
        User(
            id: try row.decode("id", as: UUID.self),
            email: try row.decode("email", as: String.self),
            name: try row.decode("name", as: String.self),
            timeZone: try row.decode("time_zone", as: String.self),
            slug: try row.decode("slug", as: String.self),
            createdAt: try row.decode("created_at", as: Date.self)
        )
    }
}

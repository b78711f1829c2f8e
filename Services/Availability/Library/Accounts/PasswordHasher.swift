import HummingbirdBcrypt
import NIOConcurrencyHelpers
import NIOPosix

/// Hashes and checks passwords with bcrypt on NIO's blocking thread pool (bcrypt takes hundreds of
/// milliseconds at cost 12, which must never stall an event loop or the cooperative pool).
struct PasswordHasher: Sendable {
    /// bcrypt's cost: log2 of its rounds (`PASSWORD_HASH_COST`, 4...31).
    let cost: UInt8
    private let threads: NIOThreadPool
    /// A hash to check against when the email is unknown, so that a login costs the same either way.
    private let decoy: NIOLockedValueBox<String?>

    init(cost: Int, threads: NIOThreadPool = .singleton) {
        self.cost = UInt8(cost)
        self.threads = threads
        self.decoy = NIOLockedValueBox(nil)
    }

    /// A salted bcrypt hash of `password`.
    func hash(_ password: String) async throws -> String {
        let cost = cost
        return try await threads.runIfActive { Bcrypt.hash(password, cost: cost) }
    }

    /// Whether `password` matches `hash`.
    func verify(_ password: String, against hash: String) async throws -> Bool {
        try await threads.runIfActive { Bcrypt.verify(password, hash: hash) }
    }

    /// Spends one verification's time on a password for an account that does not exist; always `false`.
    func verifyWithoutAccount(_ password: String) async throws -> Bool {
        let stored = decoy.withLockedValue { $0 }
        let decoyHash: String
        if let stored {
            decoyHash = stored
        } else {
            decoyHash = try await hash("decoy password for unknown accounts")
            decoy.withLockedValue { $0 = decoyHash }
        }
        _ = try await verify(password, against: decoyHash)
        return false
    }
}

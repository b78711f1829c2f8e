/// An error from the PostgreSQL wrapper.
///
/// `description` is deliberately generic so that nothing from the database (values, constraint
/// names, SQL) leaks into an HTTP response; `String(reflecting:)` carries the detail for logs.
package struct PostgresError: Error, Sendable, CustomStringConvertible, CustomDebugStringConvertible {
    /// What went wrong, in the categories callers branch on.
    package enum Kind: Sendable, Equatable {
        /// SQLSTATE 23505.
        case uniqueViolation
        /// SQLSTATE 23P01: an exclusion constraint (e.g. overlapping bookings) rejected the row.
        case exclusionViolation
        /// SQLSTATE 23503.
        case foreignKeyViolation
        /// SQLSTATE 23502, 23514 and other integrity errors not listed above.
        case constraintViolation
        /// SQLSTATE 40001: retry the transaction.
        case serializationFailure
        /// SQLSTATE 40P01: retry the transaction.
        case deadlockDetected
        /// SQLSTATE 55P03 or 57014: a lock or statement timeout fired.
        case timeout
        /// The connection could not be opened.
        case connectionFailed
        /// The connection broke during the call; whether the statement ran is unknown.
        case connectionLost
        /// No connection became free in time.
        case poolTimeout
        /// The client was shut down.
        case shutdown
        /// A value could not be decoded into the requested Swift type.
        case decoding
        /// Any other server error.
        case server
    }

    /// The category.
    package var kind: Kind
    /// The five-character SQLSTATE, when the server sent one.
    package var sqlState: String?
    /// The constraint the server named, when it did (unique, exclusion, foreign key).
    package var constraint: String?
    /// The server's or the wrapper's message (for logs only).
    package var message: String

    package init(kind: Kind, sqlState: String? = nil, constraint: String? = nil, message: String) {
        self.kind = kind
        self.sqlState = sqlState
        self.constraint = constraint
        self.message = message
    }

    /// Maps a SQLSTATE to its category.
    package static func kind(forSQLState state: String) -> Kind {
        switch state {
        case "23505": return .uniqueViolation
        case "23P01": return .exclusionViolation
        case "23503": return .foreignKeyViolation
        case "40001": return .serializationFailure
        case "40P01": return .deadlockDetected
        case "55P03", "57014": return .timeout
        case "57P01", "57P02", "57P03", "08000", "08003", "08006", "08001", "08004": return .connectionLost
        default:
            return state.hasPrefix("23") ? .constraintViolation : .server
        }
    }

    package var description: String { "PostgresError(\(kind))" }

    package var debugDescription: String {
        var parts = ["PostgresError(\(kind)"]
        if let sqlState { parts.append("sqlstate: \(sqlState)") }
        if let constraint { parts.append("constraint: \(constraint)") }
        parts.append("message: \(message)")
        return parts.joined(separator: ", ") + ")"
    }
}

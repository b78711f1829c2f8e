import CPostgres
import Foundation

/// One libpq connection. Every method blocks: call them only on a thread the client owns.
///
/// `@unchecked Sendable`: the pool hands a connection to one caller at a time, and that caller
/// runs each call on a thread-pool thread, so the `PGconn` is never used by two threads at once.
final class PostgresConnection: @unchecked Sendable {
    private let handle: OpaquePointer
    /// Set once a call saw the connection break; the pool then drops it.
    private(set) var isBroken = false
    /// When the pool created it, to tell connections that predate an outage.
    let createdAt = ContinuousClock.now

    /// Opens a connection from a libpq connection string or `postgres://` URI.
    init(conninfo: String, applicationName: String) throws {
        // Every session speaks UTC and ISO dates, so timestamptz text parses the same everywhere.
        let keys = ["dbname", "options", "application_name", "connect_timeout", "keepalives_idle", "keepalives_interval", "keepalives_count"]
        let values = [conninfo, "-c TimeZone=UTC -c DateStyle=ISO", applicationName, "5", "30", "10", "3"]
        let connection: OpaquePointer? = withCStrings(keys) { keyPointers in
            withCStrings(values) { valuePointers in
                PQconnectdbParams(keyPointers, valuePointers, 1)
            }
        }
        guard let connection else {
            throw PostgresError(kind: .connectionFailed, message: "out of memory")
        }
        guard PQstatus(connection) == CONNECTION_OK else {
            let message = String(cString: PQerrorMessage(connection))
            PQfinish(connection)
            throw PostgresError(kind: .connectionFailed, message: message)
        }
        // Server notices ("extension already exists, skipping") are not errors; keep them off stderr.
        PQsetNoticeProcessor(connection, { _, _ in }, nil)
        handle = connection
    }

    deinit {
        PQfinish(handle)
    }

    /// Statement names by SQL text: each distinct statement is parsed and planned once per
    /// connection (`PQprepare`), then only bound and executed (`PQexecPrepared`). The server
    /// re-plans by itself when a table it reads changes.
    private var preparedNames: [String: String] = [:]
    /// Distinct statements kept prepared per connection; past it, new ones run unnamed.
    static let preparedCapacity = 512

    /// Runs one statement with text-format parameters (the extended protocol: one statement only).
    func execute(_ query: PostgresQuery) throws -> PostgresRows {
        guard let name = try preparedName(for: query) else {
            let result: OpaquePointer? = withOptionalCStrings(query.binds) { params in
                PQexecParams(handle, query.sql, Int32(query.binds.count), nil, params, nil, nil, 0)
            }
            return try consume(result)
        }
        let result: OpaquePointer? = withOptionalCStrings(query.binds) { params in
            PQexecPrepared(handle, name, Int32(query.binds.count), params, nil, nil, 0)
        }
        return try consume(result)
    }

    /// The prepared statement's name, preparing it on first use; nil for transaction control and
    /// once the cache is full (those go through the unnamed statement).
    private func preparedName(for query: PostgresQuery) throws -> String? {
        if let name = preparedNames[query.sql] { return name }
        guard preparedNames.count < Self.preparedCapacity, !Self.isTransactionControl(query.sql) else { return nil }
        let name = "rz\(preparedNames.count)"
        _ = try consume(PQprepare(handle, name, query.sql, Int32(query.binds.count), nil))
        preparedNames[query.sql] = name
        return name
    }

    static func isTransactionControl(_ sql: String) -> Bool {
        let head = sql.prefix(16).uppercased()
        return ["BEGIN", "COMMIT", "ROLLBACK", "START", "SAVEPOINT", "RELEASE", "LISTEN", "UNLISTEN", "SET ", "DISCARD", "DEALLOCATE"]
            .contains { head.hasPrefix($0) }
    }

    /// Runs a script of several statements (the simple protocol, no parameters): migrations.
    func executeScript(_ sql: String) throws {
        _ = try consume(PQexec(handle, sql))
    }

    private func consume(_ result: OpaquePointer?) throws -> PostgresRows {
        guard let result else {
            throw brokenOrServerError(nil)
        }
        defer { PQclear(result) }
        switch PQresultStatus(result) {
        case PGRES_TUPLES_OK, PGRES_COMMAND_OK, PGRES_EMPTY_QUERY:
            return rows(from: result)
        default:
            throw brokenOrServerError(result)
        }
    }

    private func brokenOrServerError(_ result: OpaquePointer?) -> PostgresError {
        if let result, let stateField = PQresultErrorField(result, RZ_PG_DIAG_SQLSTATE) {
            let state = String(cString: stateField)
            let message = PQresultErrorField(result, RZ_PG_DIAG_MESSAGE_PRIMARY).map { String(cString: $0) } ?? ""
            let constraint = PQresultErrorField(result, RZ_PG_DIAG_CONSTRAINT_NAME).map { String(cString: $0) }
            let kind = PostgresError.kind(forSQLState: state)
            if kind == .connectionLost { isBroken = true }
            return PostgresError(kind: kind, sqlState: state, constraint: constraint, message: message)
        }
        // No SQLSTATE: libpq itself failed, which means the connection is gone.
        isBroken = true
        return PostgresError(kind: .connectionLost, message: String(cString: PQerrorMessage(handle)))
    }

    private func rows(from result: OpaquePointer) -> PostgresRows {
        let rowCount = Int(PQntuples(result))
        let columnCount = Int(PQnfields(result))
        var columns = [String]()
        columns.reserveCapacity(columnCount)
        var index = [String: Int](minimumCapacity: columnCount)
        for c in 0..<columnCount {
            let name = String(cString: PQfname(result, Int32(c)))
            columns.append(name)
            if index[name] == nil { index[name] = c }
        }
        var rows = [PostgresRow]()
        rows.reserveCapacity(rowCount)
        for r in 0..<rowCount {
            var values = [String?]()
            values.reserveCapacity(columnCount)
            for c in 0..<columnCount {
                if PQgetisnull(result, Int32(r), Int32(c)) == 1 {
                    values.append(nil)
                } else {
                    values.append(String(cString: PQgetvalue(result, Int32(r), Int32(c))))
                }
            }
            rows.append(PostgresRow(columnIndex: index, values: values))
        }
        let affected = Int(String(cString: PQcmdTuples(result))) ?? 0
        return PostgresRows(columns: columns, rows: rows, affectedRows: affected)
    }

    /// Whether libpq still thinks the socket is usable.
    var isUsable: Bool {
        !isBroken && PQstatus(handle) == CONNECTION_OK
    }

    /// Whether a transaction is open or failed on this connection (it must not go back to the pool so).
    var isInTransaction: Bool {
        PQtransactionStatus(handle) != PQTRANS_IDLE
    }
}

/// Calls `body` with a NULL-terminated-free array of C strings that live for the call.
private func withCStrings<R>(_ strings: [String], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    withOptionalCStrings(strings.map { Optional($0) }) { pointers in
        body(pointers + [nil])
    }
}

/// Calls `body` with C strings (NULL for `nil`) that live for the duration of the call.
private func withOptionalCStrings<R>(_ strings: [String?], _ body: ([UnsafePointer<CChar>?]) -> R) -> R {
    var owned = [UnsafeMutablePointer<CChar>?]()
    owned.reserveCapacity(strings.count)
    for string in strings {
        owned.append(string.map { strdup($0) })
    }
    defer { owned.forEach { free($0) } }
    return body(owned.map { $0.map { UnsafePointer($0) } })
}

/// A SQL statement whose interpolated values become bound parameters (`$1`, `$2`, …), never SQL text.
///
/// ```swift
/// let rows = try await db.query("SELECT name FROM users WHERE id = \(id)")
/// ```
/// Use `\(unescaped: "…")` only for trusted SQL fragments such as identifiers chosen by code.
package struct PostgresQuery: Sendable, ExpressibleByStringInterpolation, CustomStringConvertible {
    /// The SQL with `$n` placeholders.
    package var sql: String
    /// The parameters in text format; `nil` is SQL NULL.
    package var binds: [String?]

    package init(unsafeSQL sql: String, binds: [String?] = []) {
        self.sql = sql
        self.binds = binds
    }

    package init(stringLiteral value: String) {
        self.init(unsafeSQL: value)
    }

    package init(stringInterpolation: StringInterpolation) {
        self.init(unsafeSQL: stringInterpolation.sql, binds: stringInterpolation.binds)
    }

    /// The SQL only: parameters are left out so that logging a query never logs data.
    package var description: String { sql }

    /// Builds the SQL and its parameter list.
    package struct StringInterpolation: StringInterpolationProtocol {
        package var sql: String
        package var binds: [String?]

        package init(literalCapacity: Int, interpolationCount: Int) {
            sql = ""
            sql.reserveCapacity(literalCapacity + interpolationCount * 3)
            binds = []
            binds.reserveCapacity(interpolationCount)
        }

        package mutating func appendLiteral(_ literal: String) {
            sql += literal
        }

        /// Binds a value as the next parameter.
        package mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value) {
            binds.append(value.postgresText)
            sql += "$\(binds.count)"
        }

        /// Binds an optional value; `nil` is SQL NULL.
        package mutating func appendInterpolation<Value: PostgresEncodable>(_ value: Value?) {
            binds.append(value?.postgresText)
            sql += "$\(binds.count)"
        }

        /// Appends trusted SQL text as it is.
        package mutating func appendInterpolation(unescaped text: String) {
            sql += text
        }
    }
}

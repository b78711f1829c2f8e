/// The rows a statement returned, already copied out of libpq.
package struct PostgresRows: Sendable, RandomAccessCollection {
    /// Column names in order.
    package let columns: [String]
    /// The rows.
    package let rows: [PostgresRow]
    /// The number of rows an INSERT, UPDATE or DELETE touched (`PQcmdTuples`), else 0.
    package let affectedRows: Int

    package var startIndex: Int { rows.startIndex }
    package var endIndex: Int { rows.endIndex }
    package subscript(position: Int) -> PostgresRow { rows[position] }
}

/// One row: its values in text format, looked up by column name.
package struct PostgresRow: Sendable {
    /// Column name to index, shared by every row of a result.
    let columnIndex: [String: Int]
    /// The values; `nil` is SQL NULL.
    package let values: [String?]

    /// Decodes a non-NULL column.
    package func decode<Value: PostgresDecodable>(_ column: String, as type: Value.Type = Value.self) throws -> Value {
        guard let text = try raw(column) else {
            throw PostgresError(kind: .decoding, message: "column \(column) is NULL, expected \(Value.self)")
        }
        return try Value(postgresText: text)
    }

    /// Decodes a column that may be NULL.
    package func decode<Value: PostgresDecodable>(_ column: String, as type: Value?.Type = Value?.self) throws -> Value? {
        guard let text = try raw(column) else { return nil }
        return try Value(postgresText: text)
    }

    /// The text of a column, `nil` for NULL.
    package func raw(_ column: String) throws -> String? {
        guard let index = columnIndex[column] else {
            throw PostgresError(kind: .decoding, message: "no column \(column)")
        }
        return values[index]
    }
}

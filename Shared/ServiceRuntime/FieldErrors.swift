/// Collects the offending fields of one request, so a client gets every problem in one `422`.
package struct FieldErrors: Sendable {
    /// What was recorded, in order.
    package private(set) var errors: [Problem.FieldError] = []

    package init() {}

    /// Whether nothing was recorded.
    package var isEmpty: Bool { errors.isEmpty }

    /// Records that `field` is wrong for the reason `message`.
    package mutating func add(_ field: String, _ message: String) {
        errors.append(Problem.FieldError(field: field, message: message))
    }

    /// Records `message` against `field` unless `condition` holds.
    package mutating func check(_ condition: Bool, _ field: String, _ message: String) {
        if !condition { add(field, message) }
    }

    /// Throws one `validation_failed` problem naming every recorded field, if there is any.
    package func throwIfAny() throws {
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}

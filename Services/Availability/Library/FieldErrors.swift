import ServiceRuntime

/// Collects the offending fields of one request, so a client gets every problem in one `422`.
struct FieldErrors {
    private(set) var errors: [Problem.FieldError] = []

    /// Records that `field` is wrong for the reason `message`.
    mutating func add(_ field: String, _ message: String) {
        errors.append(Problem.FieldError(field: field, message: message))
    }

    /// Records `message` against `field` unless `condition` holds.
    mutating func check(_ condition: Bool, _ field: String, _ message: String) {
        if !condition { add(field, message) }
    }

    /// Throws one `validation_failed` problem naming every recorded field, if there is any.
    func throwIfAny() throws {
        if !errors.isEmpty { throw Problem.validation(errors) }
    }
}

import SchedulingCore
import ServiceRuntime

/// Field errors of the items of one request list (`rules[2].end_time`), reported in item order
/// whichever check found them.
struct ListedErrors {
    private var found: [(index: Int, sequence: Int, field: String, message: String)] = []

    /// Records an error of item `index`.
    mutating func add(index: Int, _ field: String, _ message: String) {
        found.append((index, found.count, field, message))
    }

    /// Records an engine violation found over a subset of the items, whose field reads
    /// `{placeholder}[k].…` with `k` an index into `indices`: it becomes `{list}[indices[k]].…`.
    mutating func add(renumbering violation: ScheduleViolation, list: String, indices: [Int]) {
        guard let open = violation.field.firstIndex(of: "["), let close = violation.field.firstIndex(of: "]"),
              let position = Int(violation.field[violation.field.index(after: open)..<close]), indices.indices.contains(position)
        else {
            add(index: Int.max, list, violation.message)
            return
        }
        let index = indices[position]
        add(index: index, "\(list)[\(index)]" + violation.field[violation.field.index(after: close)...], violation.message)
    }

    /// Appends everything recorded, by item index, to `errors`.
    func append(to errors: inout FieldErrors) {
        for entry in found.sorted(by: { ($0.index, $0.sequence) < ($1.index, $1.sequence) }) {
            errors.add(entry.field, entry.message)
        }
    }
}

/// A component of an iCalendar stream (`VCALENDAR`, `VEVENT`, `VTIMEZONE`, `STANDARD`, …)
/// with its properties in order and its nested components.
package struct ICalendarComponent: Sendable, Equatable {
    /// The upper-cased name from `BEGIN:`.
    package var name: String
    /// The properties directly inside this component, in order.
    package var properties: [ICalendarContentLine]
    /// The components nested in this one, in order.
    package var components: [ICalendarComponent]

    /// A component from its parts.
    package init(name: String, properties: [ICalendarContentLine] = [], components: [ICalendarComponent] = []) {
        self.name = name
        self.properties = properties
        self.components = components
    }

    /// The first property named `name` (upper case).
    package func property(_ name: String) -> ICalendarContentLine? {
        properties.first { $0.name == name }
    }

    /// The top-level components of `text` (normally one `VCALENDAR`).
    ///
    /// Lenient, as a busy-time reader must be: lines outside any component and lines that do
    /// not parse are skipped, an `END` that does not match closes up to the matching `BEGIN`,
    /// and components left open at the end are closed.
    package static func parse(_ text: String) -> [ICalendarComponent] {
        var roots: [ICalendarComponent] = []
        var stack: [ICalendarComponent] = []
        func close() {
            let finished = stack.removeLast()
            if stack.isEmpty { roots.append(finished) } else { stack[stack.count - 1].components.append(finished) }
        }
        for raw in ICalendarContentLine.unfold(text) {
            guard let line = ICalendarContentLine.parse(raw) else { continue }
            switch line.name {
            case "BEGIN":
                stack.append(ICalendarComponent(name: line.value.uppercased()))
            case "END":
                let name = line.value.uppercased()
                guard stack.contains(where: { $0.name == name }) else { continue }
                while let last = stack.last {
                    close()
                    if last.name == name { break }
                }
            default:
                if !stack.isEmpty { stack[stack.count - 1].properties.append(line) }
            }
        }
        while !stack.isEmpty { close() }
        return roots
    }
}

import Foundation

/// Request bodies that break a valid one, for table tests of every route that takes a body.
///
/// `malformed` lists everything RFC 8259 does not allow (each must be `400 malformed_json` and write
/// nothing); `wrongTypes` puts a value of another JSON type at each field (each must be
/// `422 validation_failed` naming that field).
package enum BodyCorpus {
    /// One broken body: what it shows, and its bytes.
    package struct Case: Sendable, CustomStringConvertible {
        package var label: String
        package var bytes: [UInt8]
        package var description: String { label }

        package init(_ label: String, _ bytes: [UInt8]) {
            self.label = label
            self.bytes = bytes
        }

        package init(_ label: String, _ text: String) {
            self.init(label, Array(text.utf8))
        }
    }

    /// The labels of `malformed(_:)`, in order (for test arguments, which must be known up front).
    package static let malformedLabels: [String] = malformed(#"{"a": "b"}"#).map(\.label)

    /// Every way to break `valid`, a JSON object with at least one string member written as
    /// `{"key": "value", …}` (the corpus edits its text).
    package static func malformed(_ valid: String) -> [Case] {
        let body = valid.trimmingCharacters(in: .whitespacesAndNewlines)
        precondition(body.hasPrefix("{") && body.hasSuffix("}") && body.count > 2, "a non-empty JSON object")
        let inner = String(body.dropFirst().dropLast())
        let firstKey = body.split(separator: "\"", omittingEmptySubsequences: false)[1]
        func object(_ members: String) -> String { "{" + members + "}" }
        // The first string value, whatever it is, replaced by `replacement` (raw bytes).
        func withFirstValue(_ replacement: [UInt8]) -> [UInt8] {
            let bytes = Array(body.utf8)
            let quote = UInt8(ascii: "\"")
            var quotes = 0
            for (index, byte) in bytes.enumerated() where byte == quote {
                quotes += 1
                if quotes == 3 {  // the opening quote of the first value
                    guard let close = bytes[(index + 1)...].firstIndex(of: quote) else { break }
                    return Array(bytes[...index]) + replacement + Array(bytes[close...])
                }
            }
            return bytes
        }
        return [
            Case("trailing comma in the object", object(inner + ",")),
            Case("trailing comma in an array", object(inner + #", "extra": [1, 2,]"#)),
            Case("trailing comma in a nested object", object(inner + #", "extra": {"a": 1,}"#)),
            Case("empty member", object(inner + ", ,\"extra\": 1")),
            Case("block comment", "/* note */" + body),
            Case("line comment", body.replacingOccurrences(of: "{", with: "{ // note\n", options: [], range: body.startIndex..<body.index(after: body.startIndex))),
            Case("hash comment", "# note\n" + body),
            Case("single-quoted strings", body.replacingOccurrences(of: "\"", with: "'")),
            Case("unquoted key", body.replacingOccurrences(of: "\"\(firstKey)\"", with: String(firstKey), options: [], range: body.range(of: "\"\(firstKey)\""))),
            Case("NaN", object(inner + #", "extra": NaN"#)),
            Case("Infinity", object(inner + #", "extra": Infinity"#)),
            Case("-Infinity", object(inner + #", "extra": -Infinity"#)),
            Case("leading zero", object(inner + #", "extra": 012"#)),
            Case("plus sign", object(inner + #", "extra": +1"#)),
            Case("bare fraction", object(inner + #", "extra": .5"#)),
            Case("trailing dot", object(inner + #", "extra": 1."#)),
            Case("hexadecimal", object(inner + #", "extra": 0x1F"#)),
            Case("undefined", object(inner + #", "extra": undefined"#)),
            Case("capitalised literal", object(inner + #", "extra": True"#)),
            Case("text after the value", body + " x"),
            Case("a second value", body + "{}"),
            Case("a second object", body + body),
            Case("truncated", String(body.dropLast())),
            Case("unclosed string", String(body.dropLast(2))),
            Case("invalid UTF-8 byte", withFirstValue([0x61, 0xFF, 0x62])),
            Case("overlong UTF-8", withFirstValue([0xC0, 0xAF])),
            Case("UTF-8 surrogate", withFirstValue([0xED, 0xA0, 0x80])),
            Case("truncated UTF-8", withFirstValue([0x61, 0xE2, 0x82])),
            Case("UTF-8 byte-order mark", [0xEF, 0xBB, 0xBF] + Array(body.utf8)),
            Case("UTF-16", body.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }),
            Case("raw control character in a string", withFirstValue(Array("a\u{01}b".utf8))),
            Case("raw line break in a string", withFirstValue(Array("a\nb".utf8))),
            Case("unknown escape", withFirstValue(Array(#"a\qb"#.utf8))),
            Case("lone high surrogate", withFirstValue(Array(#"a\ud800b"#.utf8))),
            Case("lone low surrogate", withFirstValue(Array(#"a\udc00b"#.utf8))),
            Case("short unicode escape", withFirstValue(Array(#"a\u12"#.utf8))),
            Case("duplicate key", object("\"\(firstKey)\": \"duplicate\", " + inner)),
            Case("duplicate key, escaped", object("\"" + firstKey.unicodeScalars.map { String(format: "\\u%04x", $0.value) }.joined() + "\": \"duplicate\", " + inner)),
            Case("an array", "[" + body + "]"),
            Case("an empty array", "[]"),
            Case("a string", #""text""#),
            Case("a number", "42"),
            Case("true", "true"),
            Case("null", "null"),
            Case("empty", ""),
            Case("white space only", " \n\t "),
            Case("nested too deep", String(repeating: "[", count: 300) + String(repeating: "]", count: 300)),
            Case("nested too deep in the object", object(inner + ", \"extra\": " + String(repeating: "[", count: 300) + String(repeating: "]", count: 300))),
        ]
    }

    /// What a field holds, to choose values of the other JSON types.
    package enum Kind: Sendable {
        case string, integer, boolean, object, array
    }

    /// One field of a body: its path as the API names it (`rules[2].start_time`, `answers.topic`) and its kind.
    package struct Field: Sendable {
        package var path: String
        package var kind: Kind

        package init(_ path: String, _ kind: Kind) {
            self.path = path
            self.kind = kind
        }
    }

    /// One body with a wrong value at `field`.
    package struct WrongType: Sendable, CustomStringConvertible {
        package var field: String
        package var value: String
        package var body: String
        package var description: String { "\(field) = \(value)" }
    }

    /// Values of other JSON types than `kind` (and numbers that no integer field takes).
    package static func wrongValues(for kind: Kind) -> [String] {
        switch kind {
        // A string with NUL is JSON, but nothing behind the API can hold it: the field's error too.
        case .string: return ["5", "30.5", "true", "{}", #"{"a": "b"}"#, "[]", #"["a"]"#, #""a\u0000b""#]
        case .integer: return ["30.5", "7.5", "-0.5", "1e-3", "73786976294838206464", "-73786976294838206464", "1e400", #""3""#, #""""#, "true", "{}", "[]", "[1]"]
        case .boolean: return [#""true""#, "1", "0", "{}", "[]"]
        case .object: return [#""x""#, "5", "true", "[]"]
        case .array: return [#""x""#, "5", "true", "{}"]
        }
    }

    /// `valid` (a JSON object) with each field in turn set to each wrong value, and `null` where
    /// `required` holds the field.
    package static func wrongTypes(_ valid: String, fields: [Field], required: Set<String> = []) -> [WrongType] {
        var cases: [WrongType] = []
        for field in fields {
            var values = wrongValues(for: field.kind)
            if required.contains(field.path) { values.append("null") }
            for value in values {
                cases.append(WrongType(field: field.path, value: value, body: replacing(field.path, in: valid, with: value)))
            }
        }
        return cases
    }

    /// `valid` with the value at `path` (`a.b[2].c`) replaced by the raw JSON `value`; a missing last
    /// member is added.
    package static func replacing(_ path: String, in valid: String, with value: String) -> String {
        let marker = "__wrong_value_\(UUID().uuidString)__"
        guard var root = try? JSONSerialization.jsonObject(with: Data(valid.utf8)) else { preconditionFailure("valid JSON") }
        let steps = path.split(separator: ".").flatMap { part -> [Step] in
            var steps: [Step] = []
            var name = Substring(part)
            var indices: [Int] = []
            while let open = name.lastIndex(of: "["), name.hasSuffix("]") {
                indices.insert(Int(name[name.index(after: open)..<name.index(before: name.endIndex)])!, at: 0)
                name = name[..<open]
            }
            if !name.isEmpty { steps.append(.key(String(name))) }
            steps += indices.map(Step.index)
            return steps
        }
        root = set(root, steps[...], to: marker)
        let data = try! JSONSerialization.data(withJSONObject: root, options: [.sortedKeys, .withoutEscapingSlashes])
        return String(decoding: data, as: UTF8.self).replacingOccurrences(of: "\"\(marker)\"", with: value)
    }

    private enum Step { case key(String), index(Int) }

    private static func set(_ node: Any, _ steps: ArraySlice<Step>, to marker: String) -> Any {
        guard let step = steps.first else { return marker }
        switch step {
        case .key(let key):
            var object = node as? [String: Any] ?? [:]
            object[key] = set(object[key] ?? [String: Any](), steps.dropFirst(), to: marker)
            return object
        case .index(let index):
            var array = node as? [Any] ?? []
            array[index] = set(array[index], steps.dropFirst(), to: marker)
            return array
        }
    }
}

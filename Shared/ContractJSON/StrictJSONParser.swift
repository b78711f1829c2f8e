/// Parses exactly one RFC 8259 JSON text, refusing everything Foundation lets through.
///
/// The rules:
/// - The input is UTF-8, all of it valid (no overlong forms, no encoded surrogates
///   `ED A0`–`ED BF`, nothing above U+10FFFF, no truncated sequence), with no byte-order mark.
/// - Whitespace is space, tab, LF and CR only; exactly one value, with only whitespace after it.
/// - Strings hold no raw control character below U+0020; the only escapes are
///   `\" \\ \/ \b \f \n \r \t \uXXXX`, and a `\u` high surrogate must be followed by a
///   `\u` low surrogate (a lone surrogate cannot live in a Swift `String`).
/// - Numbers match `-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?` and keep their text.
/// - Literals are `true`, `false`, `null`; no trailing commas, comments, single quotes or
///   unquoted keys.
/// - Containers nest at most `maximumDepth` deep, checked before recursing, so hostile input
///   gets an error rather than a stack overflow.
/// - A key may appear once per object, compared after unescaping with `String` equality,
///   since such keys would collide in a Swift dictionary anyway.
///
/// Any value may stand at the top; refusing non-objects is the caller's business.
/// One pass over the bytes; strings without escapes are decoded straight from the input.
package enum StrictJSONParser {
    /// The deepest nesting of arrays and objects accepted.
    package static let maximumDepth = 256

    /// Parses `bytes` (an array, `Data`, a buffer view) as one JSON text.
    package static func parse(_ bytes: some Collection<UInt8>) throws(JSONSyntaxError) -> JSONValue {
        let result = bytes.withContiguousStorageIfAvailable { buffer -> Result<JSONValue, JSONSyntaxError> in
            var parser = Parser(bytes: buffer)
            do throws(JSONSyntaxError) {
                return .success(try parser.parseDocument())
            } catch {
                return .failure(error)
            }
        }
        if let result { return try result.get() }
        return try parse(Array(bytes))
    }
}

extension StrictJSONParser {
    /// The parser state over one contiguous input.
    private struct Parser {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0
        /// Elements of the arrays being parsed, innermost last: one exact-size array per
        /// container at its close, instead of growing an array per container.
        var pendingValues: [JSONValue] = []
        /// Members of the objects being parsed, innermost last.
        var pendingMembers: [JSONObject.Member] = []
        /// The unescaped bytes of the string being parsed, reused across strings.
        var scratch: [UInt8] = []
        /// Whether the last string parsed was all ASCII (for `JSONObject`'s key scan).
        var lastStringWasASCII = true

        init(bytes: UnsafeBufferPointer<UInt8>) {
            self.bytes = bytes
        }

        mutating func parseDocument() throws(JSONSyntaxError) -> JSONValue {
            if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF {
                throw JSONSyntaxError(offset: 0, reason: "byte-order mark (JSON text must not start with one)")
            }
            if bytes.count >= 2, (bytes[0] == 0xFE && bytes[1] == 0xFF) || (bytes[0] == 0xFF && bytes[1] == 0xFE) {
                throw JSONSyntaxError(offset: 0, reason: "UTF-16 byte-order mark (JSON text must be UTF-8)")
            }
            let value = try parseValue(depth: 0)
            skipWhitespace()
            if position < bytes.count {
                throw JSONSyntaxError(offset: position, reason: "unexpected \(try found(at: position)) after the JSON value")
            }
            return value
        }

        // MARK: Values

        @inline(__always)
        mutating func skipWhitespace() {
            while position < bytes.count {
                switch bytes[position] {
                case 0x20, 0x09, 0x0A, 0x0D: position += 1
                default: return
                }
            }
        }

        mutating func parseValue(depth: Int) throws(JSONSyntaxError) -> JSONValue {
            skipWhitespace()
            guard position < bytes.count else {
                throw JSONSyntaxError(offset: position, reason: "expected a value, found end of input")
            }
            switch bytes[position] {
            case UInt8(ascii: "{"):
                return try parseObject(depth: depth + 1)
            case UInt8(ascii: "["):
                return try parseArray(depth: depth + 1)
            case UInt8(ascii: "\""):
                return .string(try parseString())
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                return .number(try parseNumber())
            case UInt8(ascii: "t"):
                try expectLiteral("true")
                return .bool(true)
            case UInt8(ascii: "f"):
                try expectLiteral("false")
                return .bool(false)
            case UInt8(ascii: "n"):
                try expectLiteral("null")
                return .null
            default:
                throw try unexpectedValue()
            }
        }

        mutating func expectLiteral(_ literal: StaticString) throws(JSONSyntaxError) {
            let count = literal.utf8CodeUnitCount
            guard position + count <= bytes.count,
                  (0..<count).allSatisfy({ bytes[position + $0] == literal.utf8Start[$0] }) else {
                throw try unexpectedValue()
            }
            // `truex` is one bad word, not `true` followed by junk.
            if position + count < bytes.count, Self.isWordByte(bytes[position + count]) {
                throw try unexpectedValue()
            }
            position += count
        }

        mutating func parseObject(depth: Int) throws(JSONSyntaxError) -> JSONValue {
            guard depth <= StrictJSONParser.maximumDepth else {
                throw JSONSyntaxError(offset: position, reason: "nesting deeper than \(StrictJSONParser.maximumDepth) levels")
            }
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                position += 1
                return .object(JSONObject())
            }
            let base = pendingMembers.count
            // Built once an object outgrows a linear duplicate scan.
            var index: [String: Int]?
            var allKeysASCII = true
            while true {
                guard position < bytes.count, bytes[position] == UInt8(ascii: "\"") else {
                    throw try unexpectedKey(first: pendingMembers.count == base)
                }
                let keyOffset = position
                let key = try parseString()
                allKeysASCII = allKeysASCII && lastStringWasASCII
                let existing = pendingMembers.count - base
                if existing >= JSONObject.indexThreshold {
                    if index == nil {
                        var built = [String: Int](minimumCapacity: existing * 2)
                        for position in base..<pendingMembers.count { built[pendingMembers[position].key] = position - base }
                        index = built
                    }
                    if index!.updateValue(existing, forKey: key) != nil { throw Self.duplicate(key, at: keyOffset) }
                } else {
                    for position in base..<pendingMembers.count where pendingMembers[position].key == key {
                        throw Self.duplicate(key, at: keyOffset)
                    }
                }
                skipWhitespace()
                guard position < bytes.count, bytes[position] == UInt8(ascii: ":") else {
                    throw JSONSyntaxError(offset: position, reason: "expected ':' after the key, found \(try found(at: position))")
                }
                position += 1
                let value = try parseValue(depth: depth)
                pendingMembers.append((key, value))
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: ",") {
                    let comma = position
                    position += 1
                    skipWhitespace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                        throw JSONSyntaxError(offset: comma, reason: "trailing comma")
                    }
                    continue
                }
                if position < bytes.count, bytes[position] == UInt8(ascii: "}") {
                    position += 1
                    break
                }
                throw JSONSyntaxError(offset: position, reason: "expected ',' or '}' after a member, found \(try found(at: position))")
            }
            let object = JSONObject(uniqueMembers: Array(pendingMembers[base...]), index: index, allKeysASCII: allKeysASCII)
            pendingMembers.removeSubrange(base...)
            return .object(object)
        }

        mutating func parseArray(depth: Int) throws(JSONSyntaxError) -> JSONValue {
            guard depth <= StrictJSONParser.maximumDepth else {
                throw JSONSyntaxError(offset: position, reason: "nesting deeper than \(StrictJSONParser.maximumDepth) levels")
            }
            position += 1
            skipWhitespace()
            if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                position += 1
                return .array([])
            }
            let base = pendingValues.count
            while true {
                let value = try parseValue(depth: depth)
                pendingValues.append(value)
                skipWhitespace()
                if position < bytes.count, bytes[position] == UInt8(ascii: ",") {
                    let comma = position
                    position += 1
                    skipWhitespace()
                    if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                        throw JSONSyntaxError(offset: comma, reason: "trailing comma")
                    }
                    continue
                }
                if position < bytes.count, bytes[position] == UInt8(ascii: "]") {
                    position += 1
                    break
                }
                throw JSONSyntaxError(offset: position, reason: "expected ',' or ']' after an element, found \(try found(at: position))")
            }
            let array = Array(pendingValues[base...])
            pendingValues.removeSubrange(base...)
            return .array(array)
        }

        // MARK: Numbers

        mutating func parseNumber() throws(JSONSyntaxError) -> JSONNumber {
            let start = position
            if bytes[position] == UInt8(ascii: "-") {
                position += 1
                guard position < bytes.count, Self.isDigit(bytes[position]) else {
                    if position < bytes.count, bytes[position] == UInt8(ascii: "I") {
                        throw JSONSyntaxError(offset: start, reason: "NaN and Infinity are not JSON numbers")
                    }
                    throw JSONSyntaxError(offset: position, reason: "expected a digit after '-', found \(try found(at: position))")
                }
            }
            if bytes[position] == UInt8(ascii: "0") {
                position += 1
                if position < bytes.count, Self.isDigit(bytes[position]) {
                    throw JSONSyntaxError(offset: start, reason: "number with a leading zero")
                }
                if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "x") {
                    throw JSONSyntaxError(offset: start, reason: "hexadecimal numbers are not allowed")
                }
            } else {
                skipDigits()
            }
            if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
                position += 1
                guard position < bytes.count, Self.isDigit(bytes[position]) else {
                    throw JSONSyntaxError(offset: position, reason: "expected a digit after '.', found \(try found(at: position))")
                }
                skipDigits()
            }
            if position < bytes.count, bytes[position] | 0x20 == UInt8(ascii: "e") {
                position += 1
                if position < bytes.count, bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                    position += 1
                }
                guard position < bytes.count, Self.isDigit(bytes[position]) else {
                    throw JSONSyntaxError(offset: position, reason: "expected a digit in the exponent, found \(try found(at: position))")
                }
                skipDigits()
            }
            return JSONNumber(validatedLiteral: String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self))
        }

        @inline(__always)
        mutating func skipDigits() {
            while position < bytes.count, Self.isDigit(bytes[position]) { position += 1 }
        }

        // MARK: Strings

        /// Parses the string whose opening quote is at `position`.
        mutating func parseString() throws(JSONSyntaxError) -> String {
            let quote = position
            position += 1
            let start = position
            lastStringWasASCII = true
            // Fast path: no escape, so the text is the input bytes themselves.
            while position < bytes.count {
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
                    position += 1
                    return text
                }
                if byte == UInt8(ascii: "\\") { break }
                if byte < 0x20 { throw Self.controlCharacter(byte, at: position) }
                if byte < 0x80 {
                    position += 1
                } else {
                    lastStringWasASCII = false
                    position += try utf8SequenceLength(at: position)
                }
            }
            guard position < bytes.count else {
                throw JSONSyntaxError(offset: quote, reason: "unterminated string")
            }
            scratch.removeAll(keepingCapacity: true)
            scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[start..<position]))
            while position < bytes.count {
                // Copy the run up to the next quote, backslash or control character at once.
                let runStart = position
                while position < bytes.count {
                    let byte = bytes[position]
                    if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
                    if byte < 0x80 {
                        position += 1
                    } else {
                        lastStringWasASCII = false
                        position += try utf8SequenceLength(at: position)
                    }
                }
                scratch.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[runStart..<position]))
                guard position < bytes.count else { break }
                let byte = bytes[position]
                if byte == UInt8(ascii: "\"") {
                    position += 1
                    return String(decoding: scratch, as: UTF8.self)
                }
                if byte < 0x20 { throw Self.controlCharacter(byte, at: position) }
                try parseEscape()
            }
            throw JSONSyntaxError(offset: quote, reason: "unterminated string")
        }

        /// Appends the character of the escape at `position` to `scratch`.
        mutating func parseEscape() throws(JSONSyntaxError) {
            let escape = position
            guard position + 1 < bytes.count else {
                throw JSONSyntaxError(offset: escape, reason: "unterminated escape")
            }
            let unescaped: UInt8
            switch bytes[position + 1] {
            case UInt8(ascii: "\""): unescaped = UInt8(ascii: "\"")
            case UInt8(ascii: "\\"): unescaped = UInt8(ascii: "\\")
            case UInt8(ascii: "/"): unescaped = UInt8(ascii: "/")
            case UInt8(ascii: "b"): unescaped = 0x08
            case UInt8(ascii: "f"): unescaped = 0x0C
            case UInt8(ascii: "n"): unescaped = 0x0A
            case UInt8(ascii: "r"): unescaped = 0x0D
            case UInt8(ascii: "t"): unescaped = 0x09
            case UInt8(ascii: "u"):
                try parseUnicodeEscape()
                return
            default:
                throw JSONSyntaxError(offset: escape, reason: "invalid escape '\\' followed by \(try found(at: position + 1))")
            }
            scratch.append(unescaped)
            position += 2
        }

        /// `\uXXXX`, or a surrogate pair of two such escapes.
        mutating func parseUnicodeEscape() throws(JSONSyntaxError) {
            let escape = position
            let unit = try hexQuad(at: position + 2, escape: escape)
            position += 6
            var scalarValue = UInt32(unit)
            switch unit {
            case 0xD800...0xDBFF:
                guard position + 1 < bytes.count, bytes[position] == UInt8(ascii: "\\"), bytes[position + 1] == UInt8(ascii: "u") else {
                    throw unpairedSurrogate(at: escape)
                }
                let low = try hexQuad(at: position + 2, escape: position)
                guard (0xDC00...0xDFFF).contains(low) else { throw unpairedSurrogate(at: escape) }
                position += 6
                scalarValue = 0x10000 + ((UInt32(unit) - 0xD800) << 10) + (UInt32(low) - 0xDC00)
            case 0xDC00...0xDFFF:
                throw unpairedSurrogate(at: escape)
            default:
                break
            }
            if scalarValue >= 0x80 { lastStringWasASCII = false }
            for unit in UTF8.encode(Unicode.Scalar(scalarValue)!)! { scratch.append(unit) }
        }

        func hexQuad(at start: Int, escape: Int) throws(JSONSyntaxError) -> UInt16 {
            var value: UInt16 = 0
            for offset in 0..<4 {
                guard start + offset < bytes.count, let digit = Self.hexValue(bytes[start + offset]) else {
                    throw JSONSyntaxError(offset: escape, reason: "invalid \\u escape (expected four hex digits)")
                }
                value = value << 4 | UInt16(digit)
            }
            return value
        }

        func unpairedSurrogate(at escape: Int) -> JSONSyntaxError {
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[escape..<escape + 6]), as: UTF8.self)
            return JSONSyntaxError(offset: escape, reason: "unpaired surrogate \(text)")
        }

        /// The length of the valid UTF-8 sequence starting at `start` (its first byte is >= 0x80).
        @inline(__always)
        func utf8SequenceLength(at start: Int) throws(JSONSyntaxError) -> Int {
            func continuation(_ offset: Int, _ range: ClosedRange<UInt8> = 0x80...0xBF) -> Bool {
                start + offset < bytes.count && range.contains(bytes[start + offset])
            }
            // Unicode 15, table 3-7: the well-formed byte sequences.
            switch bytes[start] {
            case 0xC2...0xDF:
                if continuation(1) { return 2 }
            case 0xE0:
                if continuation(1, 0xA0...0xBF), continuation(2) { return 3 }
            case 0xE1...0xEC, 0xEE...0xEF:
                if continuation(1), continuation(2) { return 3 }
            case 0xED:
                if continuation(1, 0x80...0x9F), continuation(2) { return 3 }
            case 0xF0:
                if continuation(1, 0x90...0xBF), continuation(2), continuation(3) { return 4 }
            case 0xF1...0xF3:
                if continuation(1), continuation(2), continuation(3) { return 4 }
            case 0xF4:
                if continuation(1, 0x80...0x8F), continuation(2), continuation(3) { return 4 }
            default:
                break
            }
            throw JSONSyntaxError(offset: start, reason: "invalid UTF-8")
        }

        // MARK: Errors

        /// What is at `offset`, for a message: `'x'`, `end of input`, `a NUL byte …`.
        /// Throws the UTF-8 error instead when the bytes there are not UTF-8.
        func found(at offset: Int) throws(JSONSyntaxError) -> String {
            guard offset < bytes.count else { return "end of input" }
            let byte = bytes[offset]
            switch byte {
            case 0x21...0x7E:
                return "'\(Character(Unicode.Scalar(byte)))'"
            case 0x00:
                return "a NUL byte (UTF-16 or UTF-32 input? JSON text must be UTF-8)"
            case 0x01...0x20, 0x7F:
                return "control character U+\(Self.hex4(UInt32(byte)))"
            default:
                let length = try utf8SequenceLength(at: offset)
                return "'\(String(decoding: UnsafeBufferPointer(rebasing: bytes[offset..<offset + length]), as: UTF8.self))'"
            }
        }

        /// The error for a byte that cannot start a value.
        func unexpectedValue() throws(JSONSyntaxError) -> JSONSyntaxError {
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "/"):
                return JSONSyntaxError(offset: position, reason: "comments are not allowed")
            case UInt8(ascii: "'"):
                return JSONSyntaxError(offset: position, reason: "single-quoted strings are not allowed")
            case UInt8(ascii: "+"):
                return JSONSyntaxError(offset: position, reason: "a number must not start with '+'")
            case UInt8(ascii: "."):
                return JSONSyntaxError(offset: position, reason: "a number must have a digit before '.'")
            case _ where Self.isWordByte(byte):
                var end = position
                while end < bytes.count, end - position < 32, Self.isWordByte(bytes[end]) { end += 1 }
                let word = String(decoding: UnsafeBufferPointer(rebasing: bytes[position..<end]), as: UTF8.self)
                if word == "NaN" || word == "Infinity" {
                    return JSONSyntaxError(offset: position, reason: "NaN and Infinity are not JSON numbers")
                }
                return JSONSyntaxError(offset: position, reason: "expected a value, found '\(word)'")
            default:
                return JSONSyntaxError(offset: position, reason: "expected a value, found \(try found(at: position))")
            }
        }

        /// The error for something other than a string where a key is due.
        func unexpectedKey(first: Bool) throws(JSONSyntaxError) -> JSONSyntaxError {
            guard position < bytes.count else {
                return JSONSyntaxError(offset: position, reason: "expected a string key, found end of input")
            }
            let byte = bytes[position]
            switch byte {
            case UInt8(ascii: "/"):
                return JSONSyntaxError(offset: position, reason: "comments are not allowed")
            case UInt8(ascii: "'"):
                return JSONSyntaxError(offset: position, reason: "single-quoted strings are not allowed")
            case _ where Self.isWordByte(byte) || byte == UInt8(ascii: "$"):
                return JSONSyntaxError(offset: position, reason: "object keys must be double-quoted strings")
            default:
                let expected = first ? "a string key or '}'" : "a string key"
                return JSONSyntaxError(offset: position, reason: "expected \(expected), found \(try found(at: position))")
            }
        }

        static func duplicate(_ key: String, at offset: Int) -> JSONSyntaxError {
            // Keep the message short whatever the client sent.
            let shown = key.count > 64 ? String(key.prefix(64)) + "…" : key
            return JSONSyntaxError(offset: offset, reason: "duplicate key \(shown.debugDescription)")
        }

        static func controlCharacter(_ byte: UInt8, at offset: Int) -> JSONSyntaxError {
            JSONSyntaxError(offset: offset, reason: "unescaped control character U+\(hex4(UInt32(byte))) in a string")
        }

        static func hex4(_ value: UInt32) -> String {
            let digits = String(value, radix: 16, uppercase: true)
            return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
        }

        @inline(__always)
        static func isDigit(_ byte: UInt8) -> Bool {
            byte &- UInt8(ascii: "0") < 10
        }

        static func isWordByte(_ byte: UInt8) -> Bool {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                return true
            default:
                return false
            }
        }

        static func hexValue(_ byte: UInt8) -> UInt8? {
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
            default: nil
            }
        }
    }
}

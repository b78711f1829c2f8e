import ContractJSON
import Foundation
import Testing

/// A document and what it must parse to, or the error it must get.
struct ParserCase: Sendable, CustomTestStringConvertible {
    let name: String
    let bytes: [UInt8]
    let expected: Expected

    enum Expected: Sendable {
        case value(JSONValue)
        case error(String)
    }

    var testDescription: String { name }

    static func accept(_ name: String, _ text: String, _ value: JSONValue) -> ParserCase {
        ParserCase(name: name, bytes: Array(text.utf8), expected: .value(value))
    }

    static func accept(_ name: String, bytes: [UInt8], _ value: JSONValue) -> ParserCase {
        ParserCase(name: name, bytes: bytes, expected: .value(value))
    }

    static func refuse(_ name: String, _ text: String, _ error: String) -> ParserCase {
        ParserCase(name: name, bytes: Array(text.utf8), expected: .error(error))
    }

    static func refuse(_ name: String, bytes: [UInt8], _ error: String) -> ParserCase {
        ParserCase(name: name, bytes: bytes, expected: .error(error))
    }
}

/// `n` arrays nested in one another, innermost empty.
private func nestedArrays(_ depth: Int) -> String {
    String(repeating: "[", count: depth) + String(repeating: "]", count: depth)
}

private func nestedArraysValue(_ depth: Int) -> JSONValue {
    var value: JSONValue = .array([])
    for _ in 1..<depth { value = .array([value]) }
    return value
}

/// An object with `count` members `k0`…, optionally repeating `k0` at the end.
private func wideObject(_ count: Int, repeatingFirst: Bool = false) -> String {
    var members = (0..<count).map { "\"k\($0)\":\($0)" }
    if repeatingFirst { members.append("\"k0\":0") }
    return "{" + members.joined(separator: ",") + "}"
}

private let quote = UInt8(ascii: "\"")

@Suite("StrictJSONParser accepts exactly RFC 8259")
struct StrictJSONParserTests {
    static let accepted: [ParserCase] = [
        .accept("empty array", "[]", []),
        .accept("empty object", "{}", [:]),
        .accept("whitespace of all four kinds around tokens", " \t\r\n{ \"a\" :\t[ 1 ,\n2 ]\r}\n ", ["a": [1, 2]]),
        .accept("a string at the top", "\"top\"", "top"),
        .accept("a number at the top", "42", 42),
        .accept("true", "true", true),
        .accept("false", "false", false),
        .accept("null", "null", .null),
        .accept("negative zero", "-0", .number(JSONNumber(literal: "-0")!)),
        .accept("fraction", "[0.5, -12.25]", [.number(JSONNumber(literal: "0.5")!), .number(JSONNumber(literal: "-12.25")!)]),
        .accept("exponents of every form", "[1e5, 1E5, 1e+5, 1e-5, -1.5E-3]", .array(
            ["1e5", "1E5", "1e+5", "1e-5", "-1.5E-3"].map { .number(JSONNumber(literal: $0)!) }
        )),
        .accept("an integer beyond every Swift type keeps its digits", "123456789012345678901234567890",
                .number(JSONNumber(literal: "123456789012345678901234567890")!)),
        .accept("nested documents", #"{"a":[{"b":null,"c":[true,false]},{}],"d":{"e":{"f":"g"}}}"#,
                ["a": [["b": .null, "c": [true, false]], [:]], "d": ["e": ["f": "g"]]]),
        .accept("every escape", #""\"\\\/\b\f\n\r\t""#, "\"\\/\u{8}\u{c}\n\r\t"),
        .accept("escaped NUL", #""a\u0000b""#, "a\u{0}b"),
        .accept("\\u escapes in either case", #"["\u00e9", "\u00E9", "\uABCD", "\uabcd"]"#, ["é", "é", "\u{ABCD}", "\u{ABCD}"]),
        .accept("an astral character as a surrogate pair", #""\ud83d\ude00 \uD834\uDD1E""#, "😀 𝄞"),
        .accept("an astral character as raw UTF-8", "\"😀\"", "😀"),
        .accept("two- and three-byte UTF-8", "\"é€\"", "é€"),
        .accept("the highest code point as raw UTF-8", bytes: [quote, 0xF4, 0x8F, 0xBF, 0xBF, quote], .string("\u{10FFFF}")),
        .accept("DEL and U+2028 raw in a string", "\"\u{7F}\u{2028}\"", "\u{7F}\u{2028}"),
        .accept("keys differing only in case", #"{"a":1,"A":2}"#, ["a": 1, "A": 2]),
        .accept("an escaped key is unescaped", #"{"\u0061b":1}"#, ["ab": 1]),
        .accept("the empty key", #"{"":1}"#, ["": 1]),
        .accept("the same key in sibling objects", #"[{"a":1},{"a":2}]"#, [["a": 1], ["a": 2]]),
        .accept("a wide object (hash-indexed)", wideObject(40),
                .object(JSONObject((0..<40).map { (key: "k\($0)", value: JSONValue.number(JSONNumber($0))) }))),
        .accept("nesting exactly 256 deep", nestedArrays(256), nestedArraysValue(256)),
    ]

    static let refused: [ParserCase] = [
        // Structure
        .refuse("empty input", "", "expected a value, found end of input at byte 0"),
        .refuse("whitespace only", " \n\t", "expected a value, found end of input at byte 3"),
        .refuse("trailing comma in an object", #"{"a":1,}"#, "trailing comma at byte 6"),
        .refuse("trailing comma in an array", "[1,]", "trailing comma at byte 2"),
        .refuse("trailing comma before whitespace", "[1 , ]", "trailing comma at byte 3"),
        .refuse("a missing element", "[1,,2]", "expected a value, found ',' at byte 3"),
        .refuse("a leading comma", "[,1]", "expected a value, found ',' at byte 1"),
        .refuse("a comma in an empty object", "{,}", "expected a string key or '}', found ',' at byte 1"),
        .refuse("a line comment", "// note\n1", "comments are not allowed at byte 0"),
        .refuse("a block comment after a value", "[1/* note */]", "expected ',' or ']' after an element, found '/' at byte 2"),
        .refuse("a comment where a key is due", #"{/* k */"a":1}"#, "comments are not allowed at byte 1"),
        .refuse("a single-quoted string", "['a']", "single-quoted strings are not allowed at byte 1"),
        .refuse("a single-quoted key", "{'a':1}", "single-quoted strings are not allowed at byte 1"),
        .refuse("an unquoted key", "{a:1}", "object keys must be double-quoted strings at byte 1"),
        .refuse("a missing colon", #"{"a" 1}"#, "expected ':' after the key, found '1' at byte 5"),
        .refuse("a missing comma between members", #"{"a":1 "b":2}"#, "expected ',' or '}' after a member, found '\"' at byte 7"),
        .refuse("a missing comma between elements", "[1 2]", "expected ',' or ']' after an element, found '2' at byte 3"),
        .refuse("an unclosed array", "[1", "expected ',' or ']' after an element, found end of input at byte 2"),
        .refuse("an unclosed object", #"{"a":1"#, "expected ',' or '}' after a member, found end of input at byte 6"),
        .refuse("a key without a value", #"{"a"}"#, "expected ':' after the key, found '}' at byte 4"),
        .refuse("two values", "1 2", "unexpected '2' after the JSON value at byte 2"),
        .refuse("a value followed by text", #"{"a":1} x"#, "unexpected 'x' after the JSON value at byte 8"),
        .refuse("an extra closing bracket", "[1]]", "unexpected ']' after the JSON value at byte 3"),
        .refuse("a value then a comma", "[1],", "unexpected ',' after the JSON value at byte 3"),
        // Literals
        .refuse("NaN", "NaN", "NaN and Infinity are not JSON numbers at byte 0"),
        .refuse("Infinity", "[Infinity]", "NaN and Infinity are not JSON numbers at byte 1"),
        .refuse("-Infinity", "[-Infinity]", "NaN and Infinity are not JSON numbers at byte 1"),
        .refuse("a truncated literal", "tru", "expected a value, found 'tru' at byte 0"),
        .refuse("a capitalised literal", "True", "expected a value, found 'True' at byte 0"),
        .refuse("a literal run on", "[nullx]", "expected a value, found 'nullx' at byte 1"),
        .refuse("undefined", "undefined", "expected a value, found 'undefined' at byte 0"),
        // Numbers
        .refuse("a leading zero", "01", "number with a leading zero at byte 0"),
        .refuse("a negative leading zero", "[-012]", "number with a leading zero at byte 1"),
        .refuse("a plus sign", "+1", "a number must not start with '+' at byte 0"),
        .refuse("no integer part", ".5", "a number must have a digit before '.' at byte 0"),
        .refuse("no fraction digits", "1.", "expected a digit after '.', found end of input at byte 2"),
        .refuse("no fraction digits before an exponent", "1.e3", "expected a digit after '.', found 'e' at byte 2"),
        .refuse("no exponent digits", "1e", "expected a digit in the exponent, found end of input at byte 2"),
        .refuse("an exponent sign without digits", "[1e+]", "expected a digit in the exponent, found ']' at byte 4"),
        .refuse("a lone minus", "-", "expected a digit after '-', found end of input at byte 1"),
        .refuse("hexadecimal", "0x1F", "hexadecimal numbers are not allowed at byte 0"),
        .refuse("a number followed by a letter", "[12a]", "expected ',' or ']' after an element, found 'a' at byte 3"),
        // Encodings
        .refuse("a UTF-8 byte-order mark", bytes: [0xEF, 0xBB, 0xBF] + Array("{}".utf8),
                "byte-order mark (JSON text must not start with one) at byte 0"),
        .refuse("UTF-16LE with a byte-order mark", bytes: [0xFF, 0xFE, 0x5B, 0x00, 0x5D, 0x00],
                "UTF-16 byte-order mark (JSON text must be UTF-8) at byte 0"),
        .refuse("UTF-16BE with a byte-order mark", bytes: [0xFE, 0xFF, 0x00, 0x5B, 0x00, 0x5D],
                "UTF-16 byte-order mark (JSON text must be UTF-8) at byte 0"),
        .refuse("UTF-16LE without a byte-order mark", bytes: [0x5B, 0x00, 0x31, 0x00, 0x5D, 0x00],
                "expected a value, found a NUL byte (UTF-16 or UTF-32 input? JSON text must be UTF-8) at byte 1"),
        .refuse("UTF-16BE without a byte-order mark", bytes: [0x00, 0x5B, 0x00, 0x5D],
                "expected a value, found a NUL byte (UTF-16 or UTF-32 input? JSON text must be UTF-8) at byte 0"),
        .refuse("a lone continuation byte", bytes: [quote, 0x80, quote], "invalid UTF-8 at byte 1"),
        .refuse("an overlong two-byte form", bytes: [quote, 0xC0, 0xAF, quote], "invalid UTF-8 at byte 1"),
        .refuse("an overlong two-byte form (C1)", bytes: [quote, 0x61, 0xC1, 0xBF, quote], "invalid UTF-8 at byte 2"),
        .refuse("an overlong three-byte form", bytes: [quote, 0xE0, 0x80, 0xAF, quote], "invalid UTF-8 at byte 1"),
        .refuse("an overlong four-byte form", bytes: [quote, 0xF0, 0x80, 0x80, 0xAF, quote], "invalid UTF-8 at byte 1"),
        .refuse("an encoded high surrogate", bytes: [quote, 0xED, 0xA0, 0x80, quote], "invalid UTF-8 at byte 1"),
        .refuse("an encoded low surrogate", bytes: [quote, 0xED, 0xBF, 0xBF, quote], "invalid UTF-8 at byte 1"),
        .refuse("a code point above U+10FFFF", bytes: [quote, 0xF4, 0x90, 0x80, 0x80, quote], "invalid UTF-8 at byte 1"),
        .refuse("a five-byte lead", bytes: [quote, 0xF8, 0x88, 0x80, 0x80, 0x80, quote], "invalid UTF-8 at byte 1"),
        .refuse("the byte FF", bytes: [quote, 0xFF, quote], "invalid UTF-8 at byte 1"),
        .refuse("a truncated sequence before the quote", bytes: [quote, 0xE2, 0x82, quote], "invalid UTF-8 at byte 1"),
        .refuse("a truncated sequence at the end", bytes: [quote, 0x61, 0xF0, 0x9F, 0x98], "invalid UTF-8 at byte 2"),
        .refuse("invalid UTF-8 in a key", bytes: Array(#"{""#.utf8) + [0xC3, 0x28] + Array(#"":1}"#.utf8), "invalid UTF-8 at byte 2"),
        .refuse("invalid UTF-8 in an escaped string", bytes: Array(#""\n"#.utf8) + [0xC3] + [quote], "invalid UTF-8 at byte 3"),
        .refuse("invalid UTF-8 after the value", bytes: Array("[1] ".utf8) + [0xFF], "invalid UTF-8 at byte 4"),
        .refuse("a non-ASCII character outside a string", "[é]", "expected a value, found 'é' at byte 1"),
        // Strings
        .refuse("a raw newline in a string", "\"a\nb\"", "unescaped control character U+000A in a string at byte 2"),
        .refuse("a raw tab in a string", "\"a\tb\"", "unescaped control character U+0009 in a string at byte 2"),
        .refuse("a raw NUL in a string", bytes: [quote, 0x00, quote], "unescaped control character U+0000 in a string at byte 1"),
        .refuse("a raw control character after an escape", "\"\\n\u{1F}\"", "unescaped control character U+001F in a string at byte 3"),
        .refuse("an unknown escape", #""\x41""#, "invalid escape '\\' followed by 'x' at byte 1"),
        .refuse("an escaped single quote", #""\'""#, "invalid escape '\\' followed by ''' at byte 1"),
        .refuse("an upper-case U escape", #""\U0041""#, "invalid escape '\\' followed by 'U' at byte 1"),
        .refuse("a short \\u escape", #""\u12""#, "invalid \\u escape (expected four hex digits) at byte 1"),
        .refuse("a \\u escape with non-hex digits", #""\uGGGG""#, "invalid \\u escape (expected four hex digits) at byte 1"),
        .refuse("a lone high surrogate", #""\ud800""#, "unpaired surrogate \\ud800 at byte 1"),
        .refuse("a lone low surrogate", #""a\uDC00""#, "unpaired surrogate \\uDC00 at byte 2"),
        .refuse("a high surrogate before text", #""\uD83Dx""#, "unpaired surrogate \\uD83D at byte 1"),
        .refuse("a high surrogate before a non-surrogate escape", #""\uD83D\u0041""#, "unpaired surrogate \\uD83D at byte 1"),
        .refuse("two high surrogates", #""\uD83D\uD83D""#, "unpaired surrogate \\uD83D at byte 1"),
        .refuse("a reversed pair", #""\uDE00\uD83D""#, "unpaired surrogate \\uDE00 at byte 1"),
        .refuse("an unterminated string", #""abc"#, "unterminated string at byte 0"),
        .refuse("an unterminated string with an escape", #"["a\"bc"#, "unterminated string at byte 1"),
        .refuse("a backslash at the end", #""abc\"#, "unterminated escape at byte 4"),
        // Depth
        .refuse("nesting 257 deep", nestedArrays(257), "nesting deeper than 256 levels at byte 256"),
        .refuse("objects nesting 257 deep", String(repeating: #"{"a":"#, count: 257) + "1" + String(repeating: "}", count: 257),
                "nesting deeper than 256 levels at byte 1280"),
        .refuse("nesting far too deep", String(repeating: "[", count: 100_000), "nesting deeper than 256 levels at byte 256"),
        // Duplicate keys
        .refuse("a duplicate key", #"{"name":1,"name":2}"#, #"duplicate key "name" at byte 10"#),
        .refuse("a duplicate key spelled with an escape", #"{"a":1,"\u0061":2}"#, #"duplicate key "a" at byte 7"#),
        .refuse("canonically equivalent keys", "{\"é\":1,\"e\u{301}\":2}", "duplicate key \"e\u{301}\" at byte 8"),
        .refuse("a duplicate key in a nested object", #"[{"a":{"b":1,"b":2}}]"#, #"duplicate key "b" at byte 13"#),
        .refuse("a duplicate key in a wide object", wideObject(30, repeatingFirst: true), #"duplicate key "k0" at byte 251"#),
    ]

    @Test("accepted documents", arguments: accepted)
    func accepts(_ document: ParserCase) throws {
        guard case .value(let expected) = document.expected else { return }
        let value = try StrictJSONParser.parse(document.bytes)
        #expect(value == expected)
        // Data and non-contiguous collections parse the same.
        #expect(try JSONValue.parse(Data(document.bytes)) == expected)
        #expect(try StrictJSONParser.parse(document.bytes.lazy.map { $0 }) == expected)
    }

    @Test("refused documents", arguments: refused)
    func refuses(_ document: ParserCase) {
        guard case .error(let expected) = document.expected else { return }
        do {
            let value = try StrictJSONParser.parse(document.bytes)
            Issue.record("parsed as \(value)")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test("a byte offset points into the input, and the reason stands alone")
    func errorShape() {
        let error = #expect(throws: JSONSyntaxError.self) { try StrictJSONParser.parse(Array(#"{"a":1,}"#.utf8)) }
        #expect(error?.offset == 6)
        #expect(error?.reason == "trailing comma")
    }

    @Test("numbers keep their literal text")
    func numberLiterals() throws {
        let value = try StrictJSONParser.parse(Array("[9007199254740993, 1.10, -0.0, 2E10]".utf8))
        guard case .array(let elements) = value else { Issue.record("not an array"); return }
        #expect(elements.map { if case .number(let number) = $0 { number.literal } else { "" } }
                == ["9007199254740993", "1.10", "-0.0", "2E10"])
    }

    @Test("objects keep member order and look members up by key")
    func objectOrder() throws {
        let value = try StrictJSONParser.parse(Array(#"{"z":1,"a":2,"m":3}"#.utf8))
        guard case .object(let object) = value else { Issue.record("not an object"); return }
        #expect(object.keys == ["z", "a", "m"])
        #expect(object["a"] == 2)
        #expect(object["q"] == nil)
        // Canonically equivalent keys find each other, as in a Swift dictionary.
        let accented = try StrictJSONParser.parse(Array("{\"caf\u{E9}\":1}".utf8))
        #expect(accented["cafe\u{301}"] == 1)
        let kelvin = try StrictJSONParser.parse(Array("{\"\u{212A}\":1}".utf8))
        #expect(kelvin["K"] == 1)
    }
}

import ContractJSON
import Foundation
import Testing

/// A sample and the UUIDs in it (which we write in lower case, Foundation in upper case).
struct EncoderSample: Sendable, CustomTestStringConvertible {
    let name: String
    let encodeOurs: @Sendable () throws -> String
    let encodeFoundation: @Sendable () throws -> String

    var testDescription: String { name }

    init<T: Encodable & Sendable>(_ name: String, _ value: T, uuids: [UUID] = []) {
        self.name = name
        encodeOurs = { try Fixtures.ourText(value) }
        encodeFoundation = { try Fixtures.foundationBytes(value, lowercasing: uuids) }
    }
}

private let bookingID = Fixtures.uuid("6BA7B810-9DAD-11D1-80B4-00C04FD430C8")
private let meetingTypeID = Fixtures.uuid("E621E1F8-C36C-495A-93FC-0C247A3E6E5F")

private let booking = BookingResponse(
    id: bookingID, meetingTypeID: meetingTypeID, userID: 42, calendarEventId: nil,
    hostURL: URL(string: "https://example.com/hosts/7?tab=a/b")!, startTime: Fixtures.instant,
    durationMinutes: 30, price: 12.5, confirmed: true,
    inviteeNote: "He said \"hi\" \\ then / left\n\ttab\r\u{8}\u{C}\u{0}\u{1}\u{1F}\u{7F} é 😀 e\u{301} \u{2028}",
    answers: ["my_topic": "x", "aB": "y", "Z": "z", "": "empty", "é": "accent", "10": "ten", "2": "two"],
    tags: ["a/b", "</script>", ""], reminderOffsets: [1440, 60, -5],
    schedule: ScheduleBody(timeZone: "Europe/Berlin", rules: [
        WeeklyRuleBody(dayOfWeek: 1, startTime: "09:00", endTime: "17:00"),
        WeeklyRuleBody(dayOfWeek: 5, startTime: "10:00", endTime: "12:00"),
    ])
)

private let numbers = NumbersBody(
    doubles: [0, -0.0, 2, 0.1, 1.0 / 3, 1e20, 1e16, 1e15, 123_456_789_012.5, 1e-7, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -2.5e-300],
    floats: [0, 0.1, 16_777_216, .leastNonzeroMagnitude, 3.4e38, -1.5], smallest: .min, largest: .max, minimum: .min, maximum: .max,
    half: 0.5, exactDecimal: Decimal(string: "12.50")!
)

private let everything = Everything(
    optionalPresent: 1, optionalAbsent: nil, nestedOptionals: ["a", nil], byChannel: [.emailReminder: 1, .sms: 2],
    byNumber: [1: "a", 10: "b", 2: "c", -1: "d"], rawMap: ["outer_key": ["innerKey": 1, "z": 2]],
    channels: [.sms, .emailReminder], matrix: [[1, 2], [], [3]], emptyList: [], emptyMap: [:],
    myURLValue: "u", aBC: 1, x: 2, _private: 3, trailing_: 4, ünïcødeKey: 5
)

/// Writes its keys in reverse, twice for one key, through every kind of container.
private struct HandEncoded: Encodable, Sendable {
    enum CodingKeys: String, CodingKey { case zeta, alpha, nested, list, userID, userId, nothing, empty }
    enum InnerKeys: String, CodingKey { case innerValue, anotherOne }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("z", forKey: .zeta)
        var nested = container.nestedContainer(keyedBy: InnerKeys.self, forKey: .nested)
        try container.encode("a", forKey: .alpha)
        try nested.encode(2, forKey: .anotherOne)
        try nested.encode(1, forKey: .innerValue)
        var list = container.nestedUnkeyedContainer(forKey: .list)
        try list.encode(1)
        var inner = list.nestedUnkeyedContainer()
        try list.encodeNil()
        try inner.encode("x")
        var object = list.nestedContainer(keyedBy: InnerKeys.self)
        try object.encode(true, forKey: .innerValue)
        try list.encode(Nothing())
        // Both convert to `user_id`: Foundation keeps the last.
        try container.encode(1, forKey: .userID)
        try container.encode(2, forKey: .userId)
        try container.encodeNil(forKey: .nothing)
        try container.encode(Nothing(), forKey: .empty)
        try container.encode("again", forKey: .zeta)
        let superEncoder = container.superEncoder()
        var superContainer = superEncoder.singleValueContainer()
        try superContainer.encode("parent")
    }
}

/// Encodes nothing at all.
private struct Nothing: Encodable, Sendable {
    func encode(to encoder: any Encoder) throws {}
}

/// Keys chosen at run time, some needing escapes.
private struct OddKeys: Encodable, Sendable {
    let keys: [String]
    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: AnyKey.self)
        for (position, key) in keys.enumerated() { try container.encode(position, forKey: AnyKey(key)) }
    }
}

/// A subclass writing its parent through `superEncoder(forKey:)`.
private class Base: Encodable, @unchecked Sendable {
    var baseValue = 1
}

private final class Derived: Base, @unchecked Sendable {
    var derivedValue = 2
    enum CodingKeys: String, CodingKey { case derivedValue, parentPart }
    override func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(derivedValue, forKey: .derivedValue)
        try super.encode(to: container.superEncoder(forKey: .parentPart))
        try super.encode(to: encoder)
    }
}

@Suite("ContractJSONEncoder writes JSONEncoder's bytes")
struct ContractJSONEncoderTests {
    static let samples: [EncoderSample] = [
        EncoderSample("a booking response: UUIDs, Date, URL, optionals, maps, nested arrays", booking, uuids: [bookingID, meetingTypeID]),
        EncoderSample("numbers at their edges", numbers),
        EncoderSample("enum and int keyed maps, odd key names, empty containers", everything),
        EncoderSample("containers of every kind, repeated and merged keys", HandEncoded()),
        EncoderSample("keys needing escapes, sorted by their raw bytes", OddKeys(keys: [
            "b\"q", "a\\b", "tab\there", "\u{1}", "zKey", "new\nline", "é", "e", "E", "ñandúCount", "userIDValue", "URLValue", "a1B2c3",
        ])),
        EncoderSample("superEncoder(forKey:) and a shared encoder", Derived()),
        EncoderSample("a top-level array of structs", [booking.schedule!, booking.schedule!]),
        EncoderSample("a top-level string", "x/\"y\""),
        EncoderSample("a top-level number", 2.0),
        EncoderSample("a top-level null", Int?.none),
        EncoderSample("a top-level map of maps", ["b": ["y": 1], "a": ["z": 2]]),
        EncoderSample("arrays of nothing", [Nothing(), Nothing()]),
    ]

    @Test("the same bytes as JSONEncoder (sortedKeys, withoutEscapingSlashes, convertToSnakeCase)", arguments: samples)
    func matchesFoundation(_ sample: EncoderSample) throws {
        #expect(try sample.encodeOurs() == sample.encodeFoundation())
    }

    @Test("UUIDs are lower case, map keys raw, strings escaped only where needed")
    func explicitShape() throws {
        let text = try Fixtures.ourText(booking)
        #expect(text.contains(#""id":"6ba7b810-9dad-11d1-80b4-00c04fd430c8""#))
        #expect(text.contains(#""meeting_type_id":"e621e1f8-c36c-495a-93fc-0c247a3e6e5f""#))
        #expect(text.contains(#""answers":{"":"empty","10":"ten","2":"two","Z":"z","aB":"y","my_topic":"x","é":"accent"}"#))
        #expect(text.contains(#""host_url":"https://example.com/hosts/7?tab=a/b""#))
        #expect(text.contains(#""invitee_note":"He said \"hi\" \\ then / left\n\ttab\r\b\f\u0000\u0001\u001f"#))
        #expect(text.contains(#""start_time":"2026-03-10T14:00:00Z""#))
        #expect(!text.contains("calendar_event_id"))
        #expect(try Fixtures.ourText([2.0, 0.5, 1e20]) == "[2,0.5,1e+20]")
    }

    @Test("every ASCII character, characters of every plane and scattered doubles match JSONEncoder")
    func manyValues() throws {
        struct Many: Encodable { var text: [String: String]; var numbers: [Double]; var floats: [Float] }
        var text: [String: String] = [:]
        for scalar in 0..<0x80 {
            let character = String(Character(Unicode.Scalar(UInt8(scalar))))
            text["k" + character + "k"] = "v" + character + "v"
        }
        for scalar: UInt32 in [0x80, 0xA0, 0xFF, 0x7FF, 0x800, 0x2028, 0xFEFF, 0xFFFD, 0xFFFF, 0x1_0000, 0x1F600, 0x10_FFFF] {
            let character = String(Character(Unicode.Scalar(scalar)!))
            text[character] = character + "\u{301}"
        }
        // Bit patterns spread over the whole range by a multiplicative hash of the index.
        let patterns = (0..<2_000).map { UInt64($0) &* 0x9E37_79B9_7F4A_7C15 }
        let numbers = patterns.map(Double.init(bitPattern:)).filter(\.isFinite)
        let floats = patterns.map { Float(bitPattern: UInt32(truncatingIfNeeded: $0 >> 17)) }.filter(\.isFinite)
        let value = Many(text: text, numbers: numbers, floats: floats)
        #expect(try Fixtures.ourText(value) == Fixtures.foundationBytes(value))
    }

    @Test("NaN and infinity throw invalidValue at their path")
    func nonConforming() {
        struct Reading: Encodable { var samples: [Double]; var level: Float }
        do {
            _ = try Fixtures.encoder.encode(Reading(samples: [1, .nan], level: 0))
            Issue.record("encoded NaN")
        } catch EncodingError.invalidValue(_, let context) {
            #expect(context.codingPath.jsonPath == "samples[1]")
        } catch {
            Issue.record("threw \(error)")
        }
        #expect(throws: EncodingError.self) { try Fixtures.encoder.encode(Reading(samples: [], level: .infinity)) }
        #expect(throws: EncodingError.self) { try Fixtures.encoder.encode(-Double.infinity) }
    }

    @Test("a top-level value that encodes nothing is an error, as with Foundation")
    func topLevelNothing() {
        #expect(throws: EncodingError.self) { try Fixtures.encoder.encode(Nothing()) }
        #expect(throws: EncodingError.self) { try Fixtures.foundationEncoder().encode(Nothing()) }
    }

    @Test("a member whose value throws leaves no trace when the error is caught")
    func failedMember() throws {
        struct Tolerant: Encodable {
            enum CodingKeys: String, CodingKey { case before, broken, after }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(1, forKey: .before)
                try? container.encode([1.0, .nan], forKey: .broken)
                try container.encode(2, forKey: .after)
            }
        }
        #expect(try Fixtures.ourText(Tolerant()) == #"{"after":2,"before":1}"#)

        // An element whose object threw half-way through its members.
        struct HalfWritten: Encodable {
            enum CodingKeys: String, CodingKey { case written, failing }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(1, forKey: .written)
                try container.encode(Double.nan, forKey: .failing)
            }
        }
        struct TolerantList: Encodable {
            enum CodingKeys: String, CodingKey { case zList, aAfter }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                var list = container.nestedUnkeyedContainer(forKey: .zList)
                try list.encode(1)
                try? list.encode(HalfWritten())
                try list.encode(2)
                try container.encode(3, forKey: .aAfter)
            }
        }
        #expect(try Fixtures.ourText(TolerantList()) == #"{"a_after":3,"z_list":[1,2]}"#)
        struct TolerantObject: Encodable {
            enum CodingKeys: String, CodingKey { case b, a, c }
            func encode(to encoder: any Encoder) throws {
                var container = encoder.container(keyedBy: CodingKeys.self)
                try container.encode(1, forKey: .b)
                try? container.encode([HalfWritten()], forKey: .a)
                try container.encode(2, forKey: .c)
            }
        }
        #expect(try Fixtures.ourText(TolerantObject()) == #"{"b":1,"c":2}"#)
    }

    @Test("useDefaultKeys writes keys as named, still sorted")
    func defaultKeys() throws {
        var encoder = Fixtures.encoder
        encoder.keyEncoding = .useDefaultKeys
        let text = String(decoding: try encoder.encode(WeeklyRuleBody(dayOfWeek: 1, startTime: "a", endTime: "b")), as: UTF8.self)
        #expect(text == #"{"dayOfWeek":1,"endTime":"b","startTime":"a"}"#)
        #expect(try encoder.encodeData([1]) == Data("[1]".utf8))
    }

    @Test("a parsed JSONValue is written back as it came, keys sorted")
    func jsonValues() throws {
        let value = try JSONValue.parse(Array(#"{"b":[1.50,-0,"\u00e9\n"],"a":{"z":null,"y":true},"c":12345678901234567890123}"#.utf8))
        #expect(try Fixtures.ourText(value) == #"{"a":{"y":true,"z":null},"b":[1.50,-0,"é\n"],"c":12345678901234567890123}"#)
    }
}

@Suite("Keys convert exactly as Foundation converts them")
struct SnakeCaseTests {
    @Test("known conversions", arguments: [
        ("durationMinutes", "duration_minutes"), ("meetingTypeID", "meeting_type_id"), ("myURLValue", "my_url_value"),
        ("userID", "user_id"), ("calendarEventId", "calendar_event_id"), ("URLValue", "u_rl_value"), ("a", "a"), ("", ""),
        ("_private", "_private"), ("trailing_", "trailing_"), ("ABC", "a_bc"), ("aBC", "a_bc"), ("oneTwo3Four", "one_two3_four"),
    ])
    func known(_ camel: String, _ snake: String) {
        #expect(SnakeCase.fromCamelCase(camel) == snake)
    }

    @Test("every short key over a mixed alphabet converts as JSONEncoder and JSONDecoder convert it")
    func exhaustiveKeys() throws {
        // All strings of up to four characters: upper and lower case, digits, `_`, other scripts.
        let alphabet = Array("aB0_éǅ")
        var keys = [""]
        var previous = [""]
        for _ in 1...4 {
            previous = previous.flatMap { prefix in alphabet.map { prefix + String($0) } }
            keys += previous
        }
        keys += ["meetingTypeID", "myURLValue", "HTTPStatusCode", "_x_Y_", "ñandúCount", "a-b.c d", "userIDs", "ID"]
        // To snake case: Foundation's encoder converts each key of a keyed container.
        let encoded = try Fixtures.foundationEncoder().encode(keys.map { OddKeys(keys: [$0]) })
        let written = try JSONSerialization.jsonObject(with: encoded) as! [[String: Int]]
        for (key, object) in zip(keys, written) {
            #expect(object.keys.first == SnakeCase.fromCamelCase(key), "\(key.debugDescription)")
        }
        // To camel case: Foundation's decoder converts each member name in `allKeys`.
        struct KeyEcho: Decodable {
            let key: String
            init(from decoder: any Decoder) throws { key = try decoder.container(keyedBy: AnyKey.self).allKeys.first!.stringValue }
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        for key in keys {
            let object = try JSONSerialization.data(withJSONObject: [key: 0])
            #expect(try decoder.decode(KeyEcho.self, from: object).key == SnakeCase.toCamelCase(key), "\(key.debugDescription)")
        }
    }
}

import ContractJSON
import Foundation
import Testing

/// Encodes with our encoder and decodes with our decoder.
private func roundTrip<T: Codable & Equatable>(_ value: T) throws -> T {
    try Fixtures.decoder.decode(T.self, from: Fixtures.encoder.encode(value))
}

@Suite("What ContractJSONEncoder writes, ContractJSONDecoder reads back")
struct RoundTripTests {
    @Test("a booking response")
    func booking() throws {
        let value = BookingResponse(
            id: UUID(), meetingTypeID: UUID(), userID: -3, calendarEventId: "evt/1", hostURL: URL(string: "https://example.com/x")!,
            startTime: Fixtures.instant, durationMinutes: 45, price: 0.1, confirmed: false,
            inviteeNote: "quote \" backslash \\ newline \n emoji 😀 accent e\u{301}",
            answers: ["my_topic": "a", "Other Key": "b"], tags: [], reminderOffsets: [Int.min, Int.max],
            schedule: ScheduleBody(timeZone: "UTC", rules: [WeeklyRuleBody(dayOfWeek: 0, startTime: "00:00", endTime: "24:00")])
        )
        #expect(try roundTrip(value) == value)
    }

    @Test("a NUL character is written escaped, and read back as the field's error: nothing behind the API can hold it")
    func nul() throws {
        struct Note: Codable, Equatable { var note: String; var map: [String: String] }
        let bytes = try Fixtures.encoder.encode(Note(note: "a\u{0}b", map: [:]))
        #expect(String(decoding: bytes, as: UTF8.self).contains(#""note":"a\u0000b""#))
        #expect(throws: DecodingError.self) { try Fixtures.decoder.decode(Note.self, from: bytes) }
        #expect(throws: DecodingError.self) { try Fixtures.decoder.decode(Note.self, from: Array(#"{"note": "x", "map": {"k\u0000": "v"}}"#.utf8)) }
    }

    @Test("numbers at their edges")
    func numbers() throws {
        let value = NumbersBody(
            doubles: [0, -0.0, 0.1, 1.0 / 3, 1e300, .leastNonzeroMagnitude, .greatestFiniteMagnitude, -.greatestFiniteMagnitude],
            floats: [.leastNonzeroMagnitude, .greatestFiniteMagnitude, 0.1], smallest: .min, largest: .max,
            minimum: .min, maximum: .max, half: 0.5, exactDecimal: Decimal(string: "-1234.5678")!
        )
        #expect(try roundTrip(value) == value)
    }

    @Test("maps keyed by enums, integers and raw strings; odd property names")
    func maps() throws {
        let value = Everything(
            optionalPresent: 0, optionalAbsent: nil, nestedOptionals: [nil, "b"], byChannel: [.emailReminder: 1, .sms: 2],
            byNumber: [-1: "m", 0: "z", 10: "t"], rawMap: ["outer_key": ["innerKey": 1]], channels: [.emailReminder],
            matrix: [[], [1]], emptyList: [], emptyMap: [:], myURLValue: "u", aBC: 1, x: 2, _private: 3, trailing_: 4, ünïcødeKey: 5
        )
        #expect(try roundTrip(value) == value)
    }

    @Test("a parsed value survives encoding unchanged")
    func jsonValue() throws {
        let text = #"{"a":[1.50,-0,1e400,{"b":"\ud83d\ude00"}],"c":null,"d":{"e_f":true,"E":false}}"#
        let value = try JSONValue.parse(Array(text.utf8))
        #expect(try JSONValue.parse(Fixtures.encoder.encode(value)) == value)
    }

    @Test("JSONValue through Foundation's coders keeps its shape")
    func jsonValueThroughFoundation() throws {
        let value: JSONValue = ["list": [1, 2.5, "x", true, .null], "map": ["my_key": 1]]
        let data = try Fixtures.foundationEncoder().encode(value)
        #expect(String(decoding: data, as: UTF8.self) == #"{"list":[1,2.5,"x",true,null],"map":{"my_key":1}}"#)
        #expect(try JSONDecoder().decode(JSONValue.self, from: data) == value)
    }
}

@Suite("JSONNumber judges its literal")
struct JSONNumberTests {
    @Test("integral values and ranges, from the digits", arguments: [
        ("30", true, Int64(30) as Int64?), ("30.0", true, 30), ("1e2", true, 100), ("30.5", false, nil),
        ("9223372036854775808", true, nil), ("-9223372036854775808", true, .min), ("1e-400", false, nil), ("-0.0", true, 0),
    ])
    func integers(_ literal: String, _ integral: Bool, _ value: Int64?) throws {
        let number = try #require(JSONNumber(literal: literal))
        #expect(number.isIntegral == integral)
        #expect(number.exactly(Int64.self) == value)
    }

    @Test("only RFC 8259 literals are numbers", arguments: ["", "-", "01", "+1", ".5", "1.", "1e", "0x1", "NaN", "1 ", " 1", "1e+"])
    func invalidLiterals(_ literal: String) {
        #expect(JSONNumber(literal: literal) == nil)
    }

    @Test("doubles are written as JSONEncoder writes them")
    func doubles() {
        #expect(JSONNumber(2.0)?.literal == "2")
        #expect(JSONNumber(0.1)?.literal == "0.1")
        #expect(JSONNumber(1e20)?.literal == "1e+20")
        #expect(JSONNumber(.nan) == nil)
        #expect(JSONNumber(.infinity) == nil)
        #expect(JSONNumber(UInt64.max).literal == "18446744073709551615")
    }
}

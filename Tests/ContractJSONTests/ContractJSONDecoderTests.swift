import ContractJSON
import Foundation
import Testing

/// What a decode must throw: the kind of `DecodingError`, the path as a client reads it, the message.
struct ExpectedDecodingError: Sendable, CustomTestStringConvertible {
    enum Kind: Sendable { case typeMismatch, dataCorrupted, valueNotFound, keyNotFound }
    let json: String
    let kind: Kind
    let path: String
    let message: String

    var testDescription: String { json }

    init(_ json: String, _ kind: Kind, _ path: String, _ message: String) {
        self.json = json
        self.kind = kind
        self.path = path
        self.message = message
    }
}

/// Decodes and checks the error against `expected`; for `keyNotFound`, `path` includes the key.
private func expectError<T: Decodable>(_ type: T.Type, _ expected: ExpectedDecodingError, sourceLocation: SourceLocation = #_sourceLocation) {
    do {
        let value = try Fixtures.decoder.decode(type, from: Array(expected.json.utf8))
        Issue.record("decoded \(value)", sourceLocation: sourceLocation)
    } catch let error as DecodingError {
        let kind: ExpectedDecodingError.Kind
        let context: DecodingError.Context
        var path: [any CodingKey]
        switch error {
        case .typeMismatch(_, let errorContext): kind = .typeMismatch; context = errorContext; path = context.codingPath
        case .dataCorrupted(let errorContext): kind = .dataCorrupted; context = errorContext; path = context.codingPath
        case .valueNotFound(_, let errorContext): kind = .valueNotFound; context = errorContext; path = context.codingPath
        case .keyNotFound(let key, let errorContext):
            kind = .keyNotFound; context = errorContext; path = context.codingPath + [key]
            #expect(key is JSONCodingKey, sourceLocation: sourceLocation)
        @unknown default: Issue.record("unknown error \(error)", sourceLocation: sourceLocation); return
        }
        #expect(kind == expected.kind, sourceLocation: sourceLocation)
        #expect(path.jsonPath == expected.path, sourceLocation: sourceLocation)
        #expect(context.debugDescription == expected.message, sourceLocation: sourceLocation)
        // Every key in the path is a wire key.
        #expect(path.allSatisfy { $0 is JSONCodingKey }, sourceLocation: sourceLocation)
    } catch {
        Issue.record("threw \(error)", sourceLocation: sourceLocation)
    }
}

private struct Duration: Decodable, Equatable {
    let durationMinutes: Int
}

private struct Narrow: Decodable, Equatable {
    let small: Int8?
    let unsigned: UInt?
    let ratio: Float?
    let amount: Double?
    let exact: Decimal?
}

private struct Form: Decodable, Equatable {
    let answers: [String: String]
}

private struct Instants: Decodable, Equatable {
    let startTime: Date?
    let hostID: UUID?
    let callbackURL: URL?
    let enabled: Bool?
    let label: String?
}

private struct Kinds: Decodable, Equatable {
    let channel: Channel
}

private struct Identifiers: Decodable, Equatable {
    let meetingTypeID: Int
    let userID: Int
    let calendarEventId: Int
    let myURLValue: Int
}

private struct Optionals: Decodable, Equatable {
    let note: String?
    let count: Int?
    let rule: WeeklyRuleBody?
}

@Suite("ContractJSONDecoder: wire-name paths and exact numbers")
struct ContractJSONDecoderTests {
    static let durationErrors: [ExpectedDecodingError] = [
        .init(#"{"duration_minutes":30.5}"#, .typeMismatch, "duration_minutes", "must be an integer"),
        .init(#"{"duration_minutes":7.5}"#, .typeMismatch, "duration_minutes", "must be an integer"),
        .init(#"{"duration_minutes":1e-30}"#, .typeMismatch, "duration_minutes", "must be an integer"),
        .init(#"{"duration_minutes":123456789012345678901234.5}"#, .typeMismatch, "duration_minutes", "must be an integer"),
        .init(#"{"duration_minutes":73786976294838206464}"#, .dataCorrupted, "duration_minutes",
              "must be an integer from -9223372036854775808 to 9223372036854775807"),
        .init(#"{"duration_minutes":-1e30}"#, .dataCorrupted, "duration_minutes",
              "must be an integer from -9223372036854775808 to 9223372036854775807"),
        .init(#"{"duration_minutes":9223372036854775808}"#, .dataCorrupted, "duration_minutes",
              "must be an integer from -9223372036854775808 to 9223372036854775807"),
        .init(#"{"duration_minutes":1e999999999999999999999}"#, .dataCorrupted, "duration_minutes",
              "must be an integer from -9223372036854775808 to 9223372036854775807"),
        .init(#"{"duration_minutes":"3"}"#, .typeMismatch, "duration_minutes", "must be an integer, not a string"),
        .init(#"{"duration_minutes":{}}"#, .typeMismatch, "duration_minutes", "must be an integer, not an object"),
        .init(#"{"duration_minutes":[]}"#, .typeMismatch, "duration_minutes", "must be an integer, not an array"),
        .init(#"{"duration_minutes":true}"#, .typeMismatch, "duration_minutes", "must be an integer, not a boolean"),
        .init(#"{"duration_minutes":null}"#, .valueNotFound, "duration_minutes", "must be an integer, not null"),
        .init(#"{"durationMinutes":30}"#, .keyNotFound, "duration_minutes", #"missing key "duration_minutes""#),
        .init(#"[]"#, .typeMismatch, "", "must be an object, not an array"),
        .init(#"null"#, .valueNotFound, "", "must be an object, not null"),
    ]

    @Test("an Int field reports the wire name and why", arguments: durationErrors)
    func durationError(_ expected: ExpectedDecodingError) {
        expectError(Duration.self, expected)
    }

    @Test("integral numbers of any spelling decode exactly", arguments: [
        ("30", 30), ("30.0", 30), ("1e2", 100), ("1E+2", 100), ("3000e-2", 30), ("-0", 0), ("0.0e5", 0),
        ("9007199254740993", 9_007_199_254_740_993), ("9223372036854775807", Int.max),
        ("-9223372036854775808", Int.min), ("-922337203685477580.8e1", Int.min), ("0.00000000000000000000000000001e29", 1),
    ])
    func integralNumbers(_ literal: String, _ expected: Int) throws {
        let value = try Fixtures.decoder.decode(Duration.self, from: Array(#"{"duration_minutes":\#(literal)}"#.utf8))
        #expect(value.durationMinutes == expected)
    }

    static let narrowErrors: [ExpectedDecodingError] = [
        .init(#"{"small":128}"#, .dataCorrupted, "small", "must be an integer from -128 to 127"),
        .init(#"{"small":-129}"#, .dataCorrupted, "small", "must be an integer from -128 to 127"),
        .init(#"{"unsigned":-1}"#, .dataCorrupted, "unsigned", "must be an integer from 0 to 18446744073709551615"),
        .init(#"{"unsigned":18446744073709551616}"#, .dataCorrupted, "unsigned", "must be an integer from 0 to 18446744073709551615"),
        .init(#"{"unsigned":0.5}"#, .typeMismatch, "unsigned", "must be an integer"),
        .init(#"{"ratio":1e39}"#, .dataCorrupted, "ratio", "must be a number from -3.4028235e+38 to 3.4028235e+38"),
        .init(#"{"amount":-1e400}"#, .dataCorrupted, "amount", "must be a number from -1.7976931348623157e+308 to 1.7976931348623157e+308"),
        .init(#"{"amount":"1"}"#, .typeMismatch, "amount", "must be a number, not a string"),
        .init(#"{"exact":1e-400}"#, .dataCorrupted, "exact", "must be a number within Decimal's range"),
    ]

    @Test("narrow and floating types report their own ranges", arguments: narrowErrors)
    func narrowError(_ expected: ExpectedDecodingError) {
        expectError(Narrow.self, expected)
    }

    @Test("in-range narrow and floating values decode")
    func narrowValues() throws {
        let value = try Fixtures.decoder.decode(Narrow.self, from: Array(
            #"{"small":-128,"unsigned":18446744073709551615,"ratio":0.1,"amount":9007199254740993,"exact":12.50}"#.utf8
        ))
        #expect(value == Narrow(small: -128, unsigned: .max, ratio: 0.1, amount: 9_007_199_254_740_992, exact: Decimal(string: "12.5")))
        let exponent = try Fixtures.decoder.decode(Narrow.self, from: Array(#"{"exact":1.5e3,"amount":1e-400}"#.utf8))
        #expect(exponent.exact == 1500)
        #expect(exponent.amount == 0)
    }

    @Test("an element of a nested array names its index", arguments: [
        ExpectedDecodingError(#"{"time_zone":"UTC","rules":[{"day_of_week":1,"start_time":"09:00","end_time":"10:00"},{"day_of_week":2,"start_time":"09:00","end_time":"10:00"},{"day_of_week":3,"start_time":9,"end_time":"10:00"}]}"#,
                              .typeMismatch, "rules[2].start_time", "must be a string, not a number"),
        ExpectedDecodingError(#"{"time_zone":"UTC","rules":[{"day_of_week":1,"start_time":"09:00","end_time":"10:00"},{"day_of_week":2,"end_time":"10:00"}]}"#,
                              .keyNotFound, "rules[1].start_time", #"missing key "start_time""#),
        ExpectedDecodingError(#"{"time_zone":"UTC","rules":[{"day_of_week":1.5,"start_time":"09:00","end_time":"10:00"}]}"#,
                              .typeMismatch, "rules[0].day_of_week", "must be an integer"),
        ExpectedDecodingError(#"{"time_zone":"UTC","rules":[null]}"#, .valueNotFound, "rules[0]", "must be an object, not null"),
        ExpectedDecodingError(#"{"time_zone":"UTC","rules":{}}"#, .typeMismatch, "rules", "must be an array, not an object"),
    ])
    func nestedPaths(_ expected: ExpectedDecodingError) {
        expectError(ScheduleBody.self, expected)
    }

    @Test("a string map reports the raw key of a bad value", arguments: [
        ExpectedDecodingError(#"{"answers":{"topic":1}}"#, .typeMismatch, "answers.topic", "must be a string, not a number"),
        ExpectedDecodingError(#"{"answers":{"my_topic":null}}"#, .valueNotFound, "answers.my_topic", "must be a string, not null"),
        ExpectedDecodingError(#"{"answers":["topic"]}"#, .typeMismatch, "answers", "must be an object, not an array"),
    ])
    func mapPaths(_ expected: ExpectedDecodingError) {
        expectError(Form.self, expected)
    }

    @Test("dictionary keys stay raw while type keys are converted")
    func rawDictionaryKeys() throws {
        let form = try Fixtures.decoder.decode(Form.self, from: Array(#"{"answers":{"my_topic":"x","aB":"y","Some Key":"z"}}"#.utf8))
        #expect(form.answers == ["my_topic": "x", "aB": "y", "Some Key": "z"])
        let nested = try Fixtures.decoder.decode([String: [String: Int]].self, from: Array(#"{"outer_key":{"inner_key":1}}"#.utf8))
        #expect(nested == ["outer_key": ["inner_key": 1]])
    }

    @Test("acronyms in Swift names find their snake_case members")
    func acronyms() throws {
        let value = try Fixtures.decoder.decode(Identifiers.self, from: Array(
            #"{"meeting_type_id":1,"user_id":2,"calendar_event_id":3,"my_url_value":4}"#.utf8
        ))
        #expect(value == Identifiers(meetingTypeID: 1, userID: 2, calendarEventId: 3, myURLValue: 4))
    }

    static let specialErrors: [ExpectedDecodingError] = [
        .init(#"{"start_time":"10 March"}"#, .dataCorrupted, "start_time", "must be an RFC 3339 instant such as 2026-03-10T14:00:00Z"),
        .init(#"{"start_time":1773151200}"#, .typeMismatch, "start_time", "must be an RFC 3339 instant string, not a number"),
        .init(#"{"host_id":"not-a-uuid"}"#, .dataCorrupted, "host_id", "must be a UUID"),
        .init(#"{"host_id":"+ba7b810-9dad-11d1-80b4-00c04fd430c8"}"#, .dataCorrupted, "host_id", "must be a UUID"),
        .init(#"{"host_id":7}"#, .typeMismatch, "host_id", "must be a UUID string, not a number"),
        .init(#"{"callback_url":""}"#, .dataCorrupted, "callback_url", "must be a URL"),
        .init(#"{"enabled":1}"#, .typeMismatch, "enabled", "must be a boolean, not a number"),
        .init(#"{"enabled":"true"}"#, .typeMismatch, "enabled", "must be a boolean, not a string"),
        .init(#"{"label":false}"#, .typeMismatch, "label", "must be a string, not a boolean"),
    ]

    @Test("dates, UUIDs, URLs, booleans and strings only from their own JSON", arguments: specialErrors)
    func specialError(_ expected: ExpectedDecodingError) {
        expectError(Instants.self, expected)
    }

    @Test("dates go through dateDecoding and UUIDs read either case")
    func specialValues() throws {
        let value = try Fixtures.decoder.decode(Instants.self, from: Array(
            #"{"start_time":"2026-03-10T14:00:00Z","host_id":"6ba7b810-9dad-11d1-80b4-00C04FD430C8","callback_url":"https://example.com/a/b?c=d","enabled":true,"label":"x"}"#.utf8
        ))
        #expect(value.startTime == Fixtures.instant)
        #expect(value.hostID == Fixtures.uuid("6BA7B810-9DAD-11D1-80B4-00C04FD430C8"))
        #expect(value.callbackURL == URL(string: "https://example.com/a/b?c=d"))
        #expect(value.enabled == true)
    }

    @Test("a raw-value enum reports at its member")
    func enumPaths() {
        expectError(Kinds.self, .init(#"{"channel":"fax"}"#, .dataCorrupted, "channel",
                                      "Cannot initialize Channel from invalid String value fax"))
    }

    @Test("absent and null optionals are nil; present ones must be right")
    func optionals() throws {
        #expect(try Fixtures.decoder.decode(Optionals.self, from: Array("{}".utf8)) == Optionals(note: nil, count: nil, rule: nil))
        #expect(try Fixtures.decoder.decode(Optionals.self, from: Array(#"{"note":null,"count":null,"rule":null}"#.utf8))
                == Optionals(note: nil, count: nil, rule: nil))
        #expect(try Fixtures.decoder.decode(Optionals.self, from: Array(#"{"note":"n","count":2}"#.utf8))
                == Optionals(note: "n", count: 2, rule: nil))
        expectError(Optionals.self, .init(#"{"count":2.5}"#, .typeMismatch, "count", "must be an integer"))
        expectError(Optionals.self, .init(#"{"rule":{"day_of_week":1}}"#, .keyNotFound, "rule.start_time", #"missing key "start_time""#))
    }

    @Test("useDefaultKeys looks members up as named")
    func defaultKeys() throws {
        var decoder = Fixtures.decoder
        decoder.keyDecoding = .useDefaultKeys
        #expect(try decoder.decode(Duration.self, from: Array(#"{"durationMinutes":5}"#.utf8)) == Duration(durationMinutes: 5))
        #expect(throws: DecodingError.self) { try decoder.decode(Duration.self, from: Array(#"{"duration_minutes":5}"#.utf8)) }
    }

    @Test("bytes that are not JSON throw the syntax error, not a DecodingError")
    func syntaxErrors() {
        let error = #expect(throws: JSONSyntaxError.self) {
            try Fixtures.decoder.decode(Duration.self, from: Array(#"{"duration_minutes":30,}"#.utf8))
        }
        #expect(error?.description == "trailing comma at byte 22")
        #expect(throws: JSONSyntaxError.self) {
            try Fixtures.decoder.decode(Duration.self, from: Data(#"{"duration_minutes":1,"duration_minutes":2}"#.utf8))
        }
    }

    @Test("top-level scalars, arrays and JSONValue members decode")
    func topLevel() throws {
        #expect(try Fixtures.decoder.decode(Int.self, from: Array("7".utf8)) == 7)
        #expect(try Fixtures.decoder.decode([String].self, from: Array(#"["a","b"]"#.utf8)) == ["a", "b"])
        #expect(try Fixtures.decoder.decode([Int?].self, from: Array("[1,null,3]".utf8)) == [1, nil, 3])
        #expect(try Fixtures.decoder.decode(JSONValue.self, from: .number(JSONNumber(literal: "1.50")!)) == .number(JSONNumber(literal: "1.50")!))
        struct Envelope: Decodable { let payload: JSONValue }
        let envelope = try Fixtures.decoder.decode(Envelope.self, from: Array(#"{"payload":{"b":[1.0,"x"],"a":null}}"#.utf8))
        #expect(envelope.payload == ["b": [.number(JSONNumber(literal: "1.0")!), "x"], "a": .null])
        expectError([Int].self, .init("[1,2.5]", .typeMismatch, "[1]", "must be an integer"))
    }
}

/// Reads every container kind by hand: nested, unkeyed, super, allKeys.
private struct HandWritten: Decodable, Equatable {
    var keys: [String]
    var point: [Int]
    var inner: String
    var parent: String
    var tail: [String]

    enum CodingKeys: String, CodingKey { case point, meta, `super`, list }

    init(keys: [String], point: [Int], inner: String, parent: String, tail: [String]) {
        self.keys = keys
        self.point = point
        self.inner = inner
        self.parent = parent
        self.tail = tail
    }
    enum MetaKeys: String, CodingKey { case innerValue }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        keys = container.allKeys.map(\.stringValue).sorted()
        let typed = try decoder.container(keyedBy: CodingKeys.self)
        #expect(typed.contains(.point))
        #expect(container.contains(AnyKey("someSnakeKey")))
        #expect(!container.contains(AnyKey("absentKey")))
        #expect(try container.decodeNil(forKey: AnyKey("nullValue")))
        #expect(try !container.decodeNil(forKey: AnyKey("someSnakeKey")))
        #expect(throws: DecodingError.self) { try container.decodeNil(forKey: AnyKey("absentKey")) }
        #expect(try container.decodeIfPresent(Int.self, forKey: AnyKey("nullValue")) == nil)
        #expect(try container.decodeIfPresent(Int.self, forKey: AnyKey("absentKey")) == nil)
        var point = try typed.nestedUnkeyedContainer(forKey: .point)
        self.point = []
        while !point.isAtEnd { self.point.append(try point.decode(Int.self)) }
        #expect(point.count == 2)
        let meta = try typed.nestedContainer(keyedBy: MetaKeys.self, forKey: .meta)
        inner = try meta.decode(String.self, forKey: .innerValue)
        let superDecoder = try typed.superDecoder()
        parent = try superDecoder.singleValueContainer().decode(String.self)
        var list = try typed.nestedUnkeyedContainer(forKey: .list)
        // A failed decode leaves the position where it was.
        #expect(throws: DecodingError.self) { try list.decode(Int.self) }
        tail = [try list.decode(String.self)]
        var nested = try list.nestedUnkeyedContainer()
        tail.append(try nested.decode(String.self))
        #expect(try list.decodeNil())
        let listPath = list.codingPath
        #expect(listPath.jsonPath == "list")
        do {
            _ = try list.decode(String.self)
            Issue.record("decoded past the end")
        } catch DecodingError.valueNotFound(_, let context) {
            #expect(context.codingPath.jsonPath == "list[3]")
            #expect(context.debugDescription == "expected an element at index 3, but the array has 3")
        }
    }
}

@Suite("ContractJSONDecoder containers")
struct DecoderContainerTests {
    @Test("nested, unkeyed and super decoders, and allKeys in camelCase")
    func handWritten() throws {
        let value = try Fixtures.decoder.decode(HandWritten.self, from: Array(
            #"{"point":[1,2],"meta":{"inner_value":"i"},"super":"s","list":["a",["b"],null],"some_snake_key":0,"null_value":null}"#.utf8
        ))
        #expect(value == HandWritten(keys: ["list", "meta", "nullValue", "point", "someSnakeKey", "super"], point: [1, 2], inner: "i", parent: "s", tail: ["a", "b"]))
    }

    @Test("a missing nested container is keyNotFound at the wire name")
    func missingNested() {
        expectError(HandWritten.self, .init(#"{"point":[1,2],"some_snake_key":0,"null_value":null}"#, .keyNotFound, "meta", #"missing key "meta""#))
        expectError(HandWritten.self, .init(#"{"point":[1,2],"some_snake_key":0,"null_value":null,"meta":{"innerValue":"i"}}"#, .keyNotFound, "meta.inner_value",
                                            #"missing key "inner_value""#))
    }
}

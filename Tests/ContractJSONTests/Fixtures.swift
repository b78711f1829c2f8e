import ContractJSON
import Foundation

/// The coders and reference encoder the tests share.
enum Fixtures {
    /// Whole-second UTC RFC 3339, as the services write instants.
    static let writeDate: @Sendable (Date) -> String = { $0.formatted(Date.ISO8601FormatStyle()) }
    static let readDate: @Sendable (String) -> Date? = { try? Date.ISO8601FormatStyle().parse($0) }

    static let encoder = ContractJSONEncoder(dateEncoding: writeDate)
    static let decoder = ContractJSONDecoder(dateDecoding: readDate)

    /// `JSONEncoder` configured as the contract says ours must match.
    static func foundationEncoder() -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(writeDate(date))
        }
        return encoder
    }

    /// Foundation's bytes for `value`, with each of `uuids` turned to lower case.
    static func foundationBytes<T: Encodable>(_ value: T, lowercasing uuids: [UUID] = []) throws -> String {
        var text = String(decoding: try foundationEncoder().encode(value), as: UTF8.self)
        for uuid in uuids {
            text = text.replacingOccurrences(of: uuid.uuidString, with: uuid.uuidString.lowercased())
        }
        return text
    }

    static func ourText<T: Encodable>(_ value: T) throws -> String {
        String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    static func uuid(_ text: String) -> UUID { UUID(uuidString: text)! }

    static let instant = Date(timeIntervalSince1970: 1_773_151_200)  // 2026-03-10T14:00:00Z
}

/// A key with any name, for types that choose their keys at run time.
struct AnyKey: CodingKey, Hashable {
    let stringValue: String
    let intValue: Int?
    init(_ name: String) { stringValue = name; intValue = nil }
    init(stringValue: String) { self.init(stringValue) }
    init?(intValue: Int) { stringValue = String(intValue); self.intValue = intValue }
}

// MARK: Sample contracts

struct WeeklyRuleBody: Codable, Equatable {
    var dayOfWeek: Int
    var startTime: String
    var endTime: String
}

struct ScheduleBody: Codable, Equatable {
    var timeZone: String
    var rules: [WeeklyRuleBody]
}

struct BookingResponse: Codable, Equatable {
    var id: UUID
    var meetingTypeID: UUID
    var userID: Int
    var calendarEventId: String?
    var hostURL: URL
    var startTime: Date
    var durationMinutes: Int
    var price: Double
    var confirmed: Bool
    var inviteeNote: String
    var answers: [String: String]
    var tags: [String]
    var reminderOffsets: [Int]
    var schedule: ScheduleBody?
}

struct NumbersBody: Codable, Equatable {
    var doubles: [Double]
    var floats: [Float]
    var smallest: Int8
    var largest: UInt64
    var minimum: Int
    var maximum: Int
    var half: Float
    var exactDecimal: Decimal
}

enum Channel: String, Codable, Equatable, CodingKeyRepresentable {
    case emailReminder
    case sms
}

struct Everything: Codable, Equatable {
    var optionalPresent: Int?
    var optionalAbsent: Int?
    var nestedOptionals: [String?]
    var byChannel: [Channel: Int]
    var byNumber: [Int: String]
    var rawMap: [String: [String: Int]]
    var channels: [Channel]
    var matrix: [[Int]]
    var emptyList: [Int]
    var emptyMap: [String: Int]
    var myURLValue: String
    var aBC: Int
    var x: Int
    var _private: Int
    var trailing_: Int
    var ünïcødeKey: Int
}

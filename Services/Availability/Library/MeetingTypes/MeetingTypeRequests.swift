/// `POST /api/meeting-types`: the contract's defaults fill what is left out.
struct CreateMeetingTypeRequest: Decodable {
    var name: String
    var slug: String
    var durationMinutes: Int
    var bufferBeforeMinutes: Int?
    var bufferAfterMinutes: Int?
    var slotIntervalMinutes: Int?
    var maxBookingsPerDay: Int?
    var minNoticeMinutes: Int?
    var maxDaysInFuture: Int?
    var color: String?
    var description: String?
    var isActive: Bool?

    var fields: MeetingTypeFields {
        var fields = MeetingTypeFields(name: name, slug: slug, description: description, color: color, durationMinutes: durationMinutes)
        fields.bufferBeforeMinutes = bufferBeforeMinutes ?? 0
        fields.bufferAfterMinutes = bufferAfterMinutes ?? 0
        fields.slotIntervalMinutes = slotIntervalMinutes ?? 15
        fields.maxBookingsPerDay = maxBookingsPerDay
        fields.minNoticeMinutes = minNoticeMinutes ?? 0
        fields.maxDaysInFuture = maxDaysInFuture ?? 60
        fields.isActive = isActive ?? true
        return fields
    }
}

/// `PATCH /api/meeting-types/{id}`: only the fields present change; `null` clears the nullable
/// ones (`max_bookings_per_day`, `color`, `description`) and is refused for the others.
struct UpdateMeetingTypeRequest: Decodable {
    /// A nullable field that may be absent (unchanged), `null` (cleared) or a value.
    enum Change<Value: Sendable>: Sendable {
        case unchanged
        case set(Value?)

        func applied(to current: Value?) -> Value? {
            if case .set(let value) = self { return value }
            return current
        }
    }

    var name: String?
    var slug: String?
    var durationMinutes: Int?
    var bufferBeforeMinutes: Int?
    var bufferAfterMinutes: Int?
    var slotIntervalMinutes: Int?
    var maxBookingsPerDay: Change<Int> = .unchanged
    var minNoticeMinutes: Int?
    var maxDaysInFuture: Int?
    var color: Change<String> = .unchanged
    var description: Change<String> = .unchanged
    var isActive: Bool?

    enum CodingKeys: String, CodingKey {
        case name, slug, durationMinutes, bufferBeforeMinutes, bufferAfterMinutes, slotIntervalMinutes
        case maxBookingsPerDay, minNoticeMinutes, maxDaysInFuture, color, description, isActive
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        func required<T: Decodable>(_ key: CodingKeys) throws -> T? {
            guard container.contains(key) else { return nil }
            // Present but null is an error for these fields: decode (not decodeIfPresent) says so.
            return try container.decode(T.self, forKey: key)
        }
        func nullable<T: Decodable & Sendable>(_ key: CodingKeys) throws -> Change<T> {
            guard container.contains(key) else { return .unchanged }
            return .set(try container.decodeNil(forKey: key) ? nil : container.decode(T.self, forKey: key))
        }
        name = try required(.name)
        slug = try required(.slug)
        durationMinutes = try required(.durationMinutes)
        bufferBeforeMinutes = try required(.bufferBeforeMinutes)
        bufferAfterMinutes = try required(.bufferAfterMinutes)
        slotIntervalMinutes = try required(.slotIntervalMinutes)
        maxBookingsPerDay = try nullable(.maxBookingsPerDay)
        minNoticeMinutes = try required(.minNoticeMinutes)
        maxDaysInFuture = try required(.maxDaysInFuture)
        color = try nullable(.color)
        description = try nullable(.description)
        isActive = try required(.isActive)
    }

    /// `current` with this request's changes.
    func applied(to current: MeetingTypeFields) -> MeetingTypeFields {
        var fields = current
        fields.name = name ?? current.name
        fields.slug = slug ?? current.slug
        fields.durationMinutes = durationMinutes ?? current.durationMinutes
        fields.bufferBeforeMinutes = bufferBeforeMinutes ?? current.bufferBeforeMinutes
        fields.bufferAfterMinutes = bufferAfterMinutes ?? current.bufferAfterMinutes
        fields.slotIntervalMinutes = slotIntervalMinutes ?? current.slotIntervalMinutes
        fields.maxBookingsPerDay = maxBookingsPerDay.applied(to: current.maxBookingsPerDay)
        fields.minNoticeMinutes = minNoticeMinutes ?? current.minNoticeMinutes
        fields.maxDaysInFuture = maxDaysInFuture ?? current.maxDaysInFuture
        fields.color = color.applied(to: current.color)
        fields.description = description.applied(to: current.description)
        fields.isActive = isActive ?? current.isActive
        return fields
    }
}

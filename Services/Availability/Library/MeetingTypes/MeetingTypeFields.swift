import Foundation
import ServiceRuntime

/// The fields a host sets on a meeting type, with the contract's defaults and ranges.
struct MeetingTypeFields: Sendable, Equatable {
    var name: String
    var slug: String
    var description: String?
    var color: String?
    var durationMinutes: Int
    var bufferBeforeMinutes = 0
    var bufferAfterMinutes = 0
    var slotIntervalMinutes = 15
    var maxBookingsPerDay: Int?
    var minNoticeMinutes = 0
    var maxDaysInFuture = 60
    var isActive = true

    /// Records every field outside the contract's ranges in `errors`.
    func validate(into errors: inout FieldErrors) {
        let trimmedName = name.trimmingCharacters(in: .whitespacesAndNewlines)
        errors.check(!trimmedName.isEmpty && name.count <= 200, "name", "must be 1 to 200 characters")
        errors.check(Slug.isValid(slug), "slug", "must be 1 to 64 characters of a-z, 0-9 and -")
        if let description {
            errors.check(description.count <= 5000, "description", "must be at most 5000 characters")
        }
        if let color {
            errors.check(color.count <= 32, "color", "must be at most 32 characters")
        }
        errors.check((5...720).contains(durationMinutes), "duration_minutes", "must be 5 to 720")
        errors.check((0...240).contains(bufferBeforeMinutes), "buffer_before_minutes", "must be 0 to 240")
        errors.check((0...240).contains(bufferAfterMinutes), "buffer_after_minutes", "must be 0 to 240")
        errors.check((5...240).contains(slotIntervalMinutes), "slot_interval_minutes", "must be 5 to 240")
        if let cap = maxBookingsPerDay {
            errors.check((1...1000).contains(cap), "max_bookings_per_day", "must be 1 to 1000, or null for no cap")
        }
        errors.check((0...525_600).contains(minNoticeMinutes), "min_notice_minutes", "must be 0 to 525600")
        errors.check((1...365).contains(maxDaysInFuture), "max_days_in_future", "must be 1 to 365")
    }
}

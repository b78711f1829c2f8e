/// The slots offered on one date of the listing's zone: `{date, slots}` on the wire.
package struct DaySlots: Hashable, Sendable, Codable {
    /// A date in the listing's zone.
    package var date: LocalDate
    /// Offered slots starting on that date, ascending.
    package var slots: [Slot]

    /// The slots of `date`.
    package init(date: LocalDate, slots: [Slot]) {
        self.date = date
        self.slots = slots
    }
}

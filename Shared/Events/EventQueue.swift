/// The names of the consuming services' work queues.
package enum EventQueue {
    /// The notifier's queue (booking events, `integration.needs_reauth`).
    package static let notifier = "notifier.events"
    /// The integration service's queue.
    package static let integration = "integration.events"
    /// The availability service's queue (`calendar.synced`, booking events for cache invalidation).
    package static let availability = "availability.events"
}

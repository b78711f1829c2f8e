import Foundation
import NIOConcurrencyHelpers

/// Which host owns which meeting type, remembered in this process: a meeting type never changes
/// owner, so a cache hit needs no database read to find the host's cache generation.
final class MeetingTypeHosts: Sendable {
    private let owners = NIOLockedValueBox<[UUID: UUID]>([:])
    /// When full the map starts again empty, which costs one small query per type.
    let capacity: Int

    init(capacity: Int = 100_000) {
        self.capacity = capacity
    }

    /// The host of `meetingType`, if seen before.
    func host(of meetingType: UUID) -> UUID? {
        owners.withLockedValue { $0[meetingType] }
    }

    /// Remembers that `host` owns `meetingType`.
    func remember(_ meetingType: UUID, host: UUID) {
        owners.withLockedValue { owners in
            if owners.count >= capacity { owners.removeAll(keepingCapacity: true) }
            owners[meetingType] = host
        }
    }
}

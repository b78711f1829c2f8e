import Foundation
import Logging
import ServiceRuntime

/// Runs syncs in this instance: at most one per integration at a time (a request while one runs
/// makes it run once more afterwards: a burst of pushes is one or two syncs) and at most
/// `concurrency` at once. Requests return at once; webhooks answer before the sync runs.
package actor SyncCoordinator {
    let syncer: CalendarSyncer
    let concurrency: Int
    /// Runs the syncs, in the service group (drained on shutdown).
    let work: BackgroundWork
    private var running: Set<UUID> = []
    private var pending: [UUID: Date] = [:]
    private var queue: [(UUID, Date, Bool)] = []
    private var active = 0
    private var waiters: [UUID: [CheckedContinuation<Void, Never>]] = [:]

    package init(syncer: CalendarSyncer, concurrency: Int, work: BackgroundWork) {
        self.syncer = syncer
        self.concurrency = max(1, concurrency)
        self.work = work
    }

    /// Asks for a sync of the integration; `dueSince` is when it became due.
    package func request(_ id: UUID, dueSince: Date = Date(), ignoringBackoff: Bool = false) {
        if running.contains(id) || queue.contains(where: { $0.0 == id }) {
            if pending[id] == nil { pending[id] = dueSince }
            return
        }
        queue.append((id, dueSince, ignoringBackoff))
        pump()
    }

    /// Waits until no sync of the integration is queued or running (tests, shutdown).
    package func waitUntilIdle(_ id: UUID) async {
        guard running.contains(id) || queue.contains(where: { $0.0 == id }) || pending[id] != nil else { return }
        await withCheckedContinuation { waiters[id, default: []].append($0) }
    }

    private func pump() {
        while active < concurrency, let index = queue.firstIndex(where: { !running.contains($0.0) }) {
            let (id, due, ignoring) = queue.remove(at: index)
            running.insert(id)
            active += 1
            let submitted = work.submit("calendar sync") { [syncer] in
                await syncer.sync(id, dueSince: due, ignoringBackoff: ignoring)
                await self.finished(id)
            }
            if !submitted {
                // Shutting down: nothing more runs, so nothing more is waited for.
                running.remove(id)
                active -= 1
                queue.removeAll()
                pending.removeAll()
                for waiter in waiters.values.joined() { waiter.resume() }
                waiters.removeAll()
                return
            }
        }
    }

    private func finished(_ id: UUID) {
        running.remove(id)
        active -= 1
        if let due = pending.removeValue(forKey: id) {
            queue.append((id, due, false))
        } else if !queue.contains(where: { $0.0 == id }) {
            for waiter in waiters.removeValue(forKey: id) ?? [] { waiter.resume() }
        }
        pump()
    }
}

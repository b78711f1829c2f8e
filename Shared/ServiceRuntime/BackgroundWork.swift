import Logging
import ServiceLifecycle
import Synchronization

/// Work a request starts but does not wait for (a calendar's first sync after it is connected,
/// renewing a push subscription a webhook asked for), run by the service group rather than by a
/// loose `Task`: at most `concurrency` jobs at once, and on graceful shutdown the jobs already
/// submitted run to their end before the clients they use are closed (the group stops its
/// services in reverse order, and the clients' shutdown comes first in it).
package final class BackgroundWork: Service, Sendable {
    /// One job: a name for the logs, and the work.
    private struct Job: Sendable {
        var name: String
        var work: @Sendable () async -> Void
    }

    private let concurrency: Int
    private let logger: Logger
    private let jobs: AsyncStream<Job>
    private let continuation: AsyncStream<Job>.Continuation
    /// Jobs submitted and not yet finished, for `waitUntilIdle`.
    private let outstanding = Mutex<(count: Int, waiters: [CheckedContinuation<Void, Never>])>((0, []))

    /// - Precondition: `concurrency` ≥ 1.
    package init(concurrency: Int = 16, logger: Logger) {
        precondition(concurrency >= 1)
        self.concurrency = concurrency
        self.logger = logger
        (jobs, continuation) = AsyncStream.makeStream(of: Job.self)
    }

    /// Queues `work`; returns false, dropping it, once the service is shutting down.
    @discardableResult
    package func submit(_ name: String, _ work: @escaping @Sendable () async -> Void) -> Bool {
        outstanding.withLock { $0.count += 1 }
        switch continuation.yield(Job(name: name, work: work)) {
        case .enqueued:
            return true
        case .dropped, .terminated:
            logger.debug("background job dropped: the service is stopping", metadata: ["job": "\(name)"])
            done()
            return false
        @unknown default:
            done()
            return false
        }
    }

    /// Waits until every job submitted so far has finished (tests; a drain).
    package func waitUntilIdle() async {
        await withCheckedContinuation { (waiter: CheckedContinuation<Void, Never>) in
            let idle = outstanding.withLock { state -> Bool in
                if state.count == 0 { return true }
                state.waiters.append(waiter)
                return false
            }
            if idle { waiter.resume() }
        }
    }

    package func run() async throws {
        await withGracefulShutdownHandler {
            await withTaskGroup(of: Void.self) { group in
                var running = 0
                // Ends when the stream is finished (graceful shutdown) and every queued job is taken.
                for await job in jobs {
                    if running >= concurrency {
                        await group.next()
                        running -= 1
                    }
                    group.addTask { [self] in
                        await job.work()
                        done()
                    }
                    running += 1
                }
                await group.waitForAll()
            }
        } onGracefulShutdown: { [continuation] in
            continuation.finish()
        }
    }

    private func done() {
        let waiters = outstanding.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.count -= 1
            guard state.count == 0 else { return [] }
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }
}

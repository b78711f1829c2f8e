import Curl
import Foundation
import NIOConcurrencyHelpers

/// Sends a fake's pushes and notifications with `CurlHTTPClient` and records each with the
/// receiver's status. Deliveries caused by API calls run in tasks kept here, so a test can wait
/// for them and shutdown can end them.
final class FakeDeliveries: Sendable {
    private let client: CurlHTTPClient
    private let sent = NIOLockedValueBox<[FakeDelivery]>([])
    private let pending = NIOLockedValueBox<[Int: Task<Void, Never>]>([:])
    private let counter = NIOLockedValueBox(0)
    private let now: @Sendable () -> Date

    /// Deliveries sent with `userAgent` (Google's say `APIs-Google`).
    init(userAgent: String, now: @escaping @Sendable () -> Date) {
        self.client = CurlHTTPClient(configuration: .init(numberOfThreads: 4, userAgent: userAgent))
        self.now = now
    }

    /// Every delivery so far, in the order they completed.
    var all: [FakeDelivery] { sent.withLockedValue { $0 } }

    /// Sends `request` and records it; returns the record.
    @discardableResult
    func send(_ request: HTTPClientRequest, channelID: String, kind: String) async -> FakeDelivery {
        let started = now()
        let status = try? await client.execute(request).status
        let delivery = FakeDelivery(
            channelID: channelID, kind: kind, url: request.url,
            headers: request.headers.map { ($0.name, $0.value) }, body: request.body ?? [],
            status: status, time: started
        )
        sent.withLockedValue { $0.append(delivery) }
        return delivery
    }

    /// Like ``send(_:channelID:kind:)`` for the response itself (validation handshakes).
    func exchange(_ request: HTTPClientRequest, channelID: String, kind: String) async -> HTTPClientResponse? {
        let started = now()
        let response = try? await client.execute(request)
        let delivery = FakeDelivery(
            channelID: channelID, kind: kind, url: request.url,
            headers: request.headers.map { ($0.name, $0.value) }, body: request.body ?? [],
            status: response?.status, time: started
        )
        sent.withLockedValue { $0.append(delivery) }
        return response
    }

    /// Runs `work` in the background (a push caused by an API call must not hold up its answer).
    func inBackground(_ work: @escaping @Sendable () async -> Void) {
        let key = counter.withLockedValue { value in value += 1; return value }
        let task = Task { [pending] in
            await work()
            _ = pending.withLockedValue { $0.removeValue(forKey: key) }
        }
        // A task that finished before this line stays listed until `settle()` awaits it.
        pending.withLockedValue { $0[key] = task }
    }

    /// Waits until no background delivery is running.
    func settle() async {
        while let task = pending.withLockedValue({ $0.values.first }) {
            await task.value
            pending.withLockedValue { tasks in
                for (key, candidate) in tasks where candidate == task { tasks[key] = nil }
            }
        }
    }

    /// Waits for background deliveries, then stops the HTTP client.
    func shutdown() async {
        await settle()
        try? await client.shutdown()
    }
}

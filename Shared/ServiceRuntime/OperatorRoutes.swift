import Foundation
import Hummingbird
import NIOConcurrencyHelpers
import Prometheus

/// `/health`, `/ready`, `/metrics` and `/openapi.json`, which every service answers on its own port.
package struct OperatorRoutes: Sendable {
    let checks: [DependencyCheck]
    let registry: PrometheusCollectorRegistry
    let openAPIDocument: String
    let readyTimeout: Duration

    package init(checks: [DependencyCheck], registry: PrometheusCollectorRegistry, openAPIDocument: String, readyTimeout: Duration = .seconds(2)) {
        self.checks = checks
        self.registry = registry
        self.openAPIDocument = openAPIDocument
        self.readyTimeout = readyTimeout
    }

    struct Health: ResponseEncodable { let status: String }
    struct Readiness: ResponseEncodable {
        let status: String
        let checks: [String: String]
    }

    package func register(on router: Router<ServiceRequestContext>) {
        router.get("/health") { _, _ in Health(status: "ok") }
        router.get("/ready") { _, _ in try await readiness() }
        router.get("/metrics") { _, _ in
            var buffer = [UInt8]()
            buffer.reserveCapacity(16_384)
            registry.emit(into: &buffer)
            return Response(
                status: .ok,
                headers: [.contentType: "text/plain; version=0.0.4; charset=utf-8"],
                body: .init(byteBuffer: ByteBuffer(bytes: buffer))
            )
        }
        router.get("/openapi.json") { _, _ in
            Response(status: .ok, headers: [.contentType: "application/json"],
                     body: .init(byteBuffer: ByteBuffer(string: openAPIDocument)))
        }
    }

    /// Asks every dependency at once, each bounded by `readyTimeout`.
    func readiness() async throws -> Response {
        let results = await withTaskGroup(of: (String, String).self) { group in
            for check in checks {
                group.addTask {
                    do {
                        try await withTimeout(readyTimeout) { try await check.check() }
                        return (check.name, "ok")
                    } catch {
                        return (check.name, "unavailable")
                    }
                }
            }
            return await group.reduce(into: [String: String]()) { $0[$1.0] = $1.1 }
        }
        let failing = results.filter { $0.value != "ok" }.keys.sorted()
        let body = Readiness(status: failing.isEmpty ? "ok" : "unavailable", checks: results)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if failing.isEmpty {
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(body))))
        }
        struct NotReady: Encodable {
            let type = "about:blank", title = "Service Unavailable", status = 503, code = "unavailable"
            let detail: String
            let checks: [String: String]
        }
        let problem = NotReady(detail: "Not ready: \(failing.joined(separator: ", ")) unavailable.", checks: results)
        return Response(status: .serviceUnavailable, headers: [.contentType: "application/problem+json", .retryAfter: "1"],
                        body: .init(byteBuffer: ByteBuffer(bytes: try encoder.encode(problem))))
    }
}

/// The operation did not finish in time.
package struct TimeoutError: Error, CustomStringConvertible {
    package var description: String { "TimeoutError" }
}

/// Runs `operation`, throwing `TimeoutError` if it takes longer than `timeout`.
///
/// The caller stops waiting at the deadline (the operation's task is cancelled); a blocking C
/// call inside it still finishes on its own thread, but nobody waits for it.
package func withTimeout<T: Sendable>(_ timeout: Duration, _ operation: @escaping @Sendable () async throws -> T) async throws -> T {
    let pending = NIOLockedValueBox<CheckedContinuation<T, any Error>?>(nil)
    let finish: @Sendable (Result<T, any Error>) -> Void = { result in
        pending.withLockedValue { continuation in
            continuation?.resume(with: result)
            continuation = nil
        }
    }
    return try await withCheckedThrowingContinuation { continuation in
        pending.withLockedValue { $0 = continuation }
        let work = Task {  // unstructured: the probe, given up at the deadline
            do { finish(.success(try await operation())) } catch { finish(.failure(error)) }
        }
        Task {  // unstructured: the deadline timer
            try? await Task.sleep(for: timeout)
            finish(.failure(TimeoutError()))
            work.cancel()
        }
    }
}

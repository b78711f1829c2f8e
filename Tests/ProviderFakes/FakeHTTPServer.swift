import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle

/// A Hummingbird server on `127.0.0.1` (a free port) that hands every request to one handler.
///
/// The fakes route by path themselves: their URL spaces (`/v1.0/me/calendarView/delta`,
/// `/calendar/v3/calendars/{id}/events/watch`) are easier to read as a `switch` on segments.
final class FakeHTTPServer: Sendable {
    /// Answers one request.
    typealias Handler = @Sendable (FakeRequest) async -> FakeResponse

    /// `http://127.0.0.1:PORT`.
    let baseURL: String
    private let serviceGroup: ServiceGroup
    private let running: NIOLockedValueBox<Task<Void, any Error>?>
    private let handler: NIOLockedValueBox<Handler?>

    private init(baseURL: String, serviceGroup: ServiceGroup, running: Task<Void, any Error>, handler: NIOLockedValueBox<Handler?>) {
        self.baseURL = baseURL
        self.serviceGroup = serviceGroup
        self.running = NIOLockedValueBox(running)
        self.handler = handler
    }

    /// Sends every later request to `handler` (until then, and after ``shutdown()``, requests get 503).
    ///
    /// Set after start because a fake needs its base URL (so the port) before it can answer.
    func route(to handler: @escaping Handler) {
        self.handler.withLockedValue { $0 = handler }
    }

    /// Starts listening; returns once the port is known.
    static func start(label: String, now: @escaping @Sendable () -> Date) async throws -> FakeHTTPServer {
        let handlerBox = NIOLockedValueBox<Handler?>(nil)
        let responder = CallbackResponder<BasicRequestContext> { request, _ in
            let body = try await request.body.collect(upTo: 16 << 20)
            let components = URLComponents(string: request.uri.description)
            let received = FakeRequest(
                method: request.method.rawValue,
                path: components?.percentEncodedPath.removingPercentEncoding ?? request.uri.path,
                queryItems: FakeRequest.decodeForm(components?.percentEncodedQuery ?? ""),
                headers: request.headers.map { ($0.name.rawName, $0.value) },
                body: Array(buffer: body),
                time: now()
            )
            let answer = await handlerBox.withLockedValue({ $0 })?(received) ?? FakeResponse.text(503, "Service Unavailable")
            var fields = HTTPFields()
            for (name, value) in answer.headers {
                if let fieldName = HTTPField.Name(name) { fields.append(HTTPField(name: fieldName, value: value)) }
            }
            return Response(
                status: HTTPResponse.Status(code: answer.status),
                headers: fields,
                body: ResponseBody(byteBuffer: ByteBuffer(bytes: answer.body))
            )
        }
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let serviceGroup = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: logger))
        // The fake outlives this call, so the group runs in a task that `shutdown()` ends.
        let running = Task { try await serviceGroup.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await serviceGroup.triggerGracefulShutdown()
            _ = try? await running.value
            throw FakeServerStartFailure()
        }
        return FakeHTTPServer(baseURL: "http://127.0.0.1:\(port)", serviceGroup: serviceGroup, running: running, handler: handlerBox)
    }

    /// Stops the server and waits for it; later calls do nothing.
    func shutdown() async {
        handler.withLockedValue { $0 = nil } // breaks the fake ↔ server reference cycle
        guard let task = running.withLockedValue({ task in defer { task = nil }; return task }) else { return }
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// The fake's server did not report a port.
package struct FakeServerStartFailure: Error {}

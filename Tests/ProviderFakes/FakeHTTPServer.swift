import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import NIOCore
import ServiceLifecycle
import TestSupport

/// A Hummingbird server on `127.0.0.1` (a free port) that hands every request to one handler.
///
/// The fakes route by path themselves: their URL spaces (`/v1.0/me/calendarView/delta`,
/// `/calendar/v3/calendars/{id}/events/watch`) are easier to read as a `switch` on segments.
final class FakeHTTPServer: Sendable {
    /// Answers one request.
    typealias Handler = @Sendable (FakeRequest) async -> FakeResponse

    /// `http://127.0.0.1:PORT`.
    var baseURL: String { server.baseURL }
    private let server: LocalServer
    private let handler: NIOLockedValueBox<Handler?>

    private init(server: LocalServer, handler: NIOLockedValueBox<Handler?>) {
        self.server = server
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
        let server = try await LocalServer.start(responder, label: label)
        return FakeHTTPServer(server: server, handler: handlerBox)
    }

    /// Stops the server and waits for it; later calls do nothing.
    func shutdown() async {
        handler.withLockedValue { $0 = nil } // breaks the fake ↔ server reference cycle
        await server.shutdown()
    }
}


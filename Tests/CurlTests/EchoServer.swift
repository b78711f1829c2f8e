import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import ServiceLifecycle
import TestSupport

/// What `/echo` answers: the request as the server saw it.
struct EchoReply: Codable, Equatable {
    var method: String
    var uri: String
    var headers: [[String]]
    var body: String

    /// Every value of header `name` (any case).
    func header(_ name: String) -> [String] {
        headers.filter { $0[0].lowercased() == name.lowercased() }.map { $0[1] }
    }
}

/// A real Hummingbird server on 127.0.0.1 (a free port) for the duration of `body`.
///
/// Routes: `/echo` (GET, POST, PUT, PATCH, DELETE) echoes method, URI, headers and body as JSON;
/// `/status/{code}` answers with that status; `/slow` answers after 2 s; `/headers` sends
/// repeated fields; `/redirect` is a 302 to `/echo`; `/bytes/{count}` sends that many bytes (HEAD: only their length).
func withEchoServer(_ body: @Sendable (_ baseURL: String) async throws -> Void) async throws {
    let router = Router()
    let echo: @Sendable (Request, BasicRequestContext) async throws -> Response = { request, _ in
        let buffer = try await request.body.collect(upTo: 16 << 20)
        let reply = EchoReply(
            method: request.method.rawValue,
            uri: request.uri.description,
            headers: request.headers.map { [$0.name.rawName, $0.value] },
            body: String(buffer: buffer)
        )
        return Response(
            status: .ok,
            headers: [.contentType: "application/json"],
            body: ResponseBody(byteBuffer: ByteBuffer(bytes: try JSONEncoder().encode(reply)))
        )
    }
    for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] {
        router.on("/echo", method: method, use: echo)
    }
    router.get("/status/{code}") { _, context -> Response in
        let code = try context.parameters.require("code", as: Int.self)
        return Response(status: HTTPResponse.Status(code: code), body: ResponseBody(byteBuffer: ByteBuffer(string: "status \(code)")))
    }
    router.get("/slow") { _, _ -> String in
        try await Task.sleep(for: .seconds(2))
        return "late"
    }
    router.get("/headers") { _, _ -> Response in
        var headers = HTTPFields()
        headers.append(HTTPField(name: HTTPField.Name("X-Multi")!, value: "one"))
        headers.append(HTTPField(name: HTTPField.Name("X-Multi")!, value: "two"))
        headers.append(HTTPField(name: .setCookie, value: "a=1"))
        headers.append(HTTPField(name: .setCookie, value: "b=2"))
        return Response(status: .ok, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: "ok")))
    }
    router.get("/redirect") { _, _ -> Response in
        Response(status: .found, headers: [.location: "/echo"])
    }
    router.head("/bytes/{count}") { _, context -> Response in
        let count = try context.parameters.require("count", as: Int.self)
        return Response(status: .ok, headers: [.contentLength: "\(count)"])
    }
    router.get("/bytes/{count}") { _, context -> Response in
        let count = try context.parameters.require("count", as: Int.self)
        return Response(status: .ok, body: ResponseBody(byteBuffer: ByteBuffer(repeating: UInt8(ascii: "a"), count: count)))
    }

    try await withLocalServer(router, label: "curl-tests.echo-server", body)
}

struct EchoServerFailure: Error {}

import Foundation
import Testing

@testable import Curl

#if canImport(Glibc)
import Glibc
#endif

@Suite("CurlHTTPClient against a local Hummingbird server")
struct CurlHTTPClientTests {
    /// Runs `body` with a fresh client and server, shutting the client down afterwards.
    func withClient(
        _ configuration: CurlHTTPClient.Configuration = CurlHTTPClient.Configuration(),
        _ body: @Sendable (CurlHTTPClient, String) async throws -> Void
    ) async throws {
        let client = CurlHTTPClient(configuration: configuration)
        do {
            try await withEchoServer { baseURL in try await body(client, baseURL) }
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
    }

    @Test func jsonRoundTripsMethodHeadersAndBody() async throws {
        struct Payload: Codable, Equatable { var id: String; var count: Int; var note: String }
        try await withClient { client, baseURL in
            let payload = Payload(id: UUID().uuidString, count: 42, note: "é ✓ \"quoted\"")
            var request = try HTTPClientRequest.json(.put, url: "\(baseURL)/echo?x=1&y=two", body: payload)
            request.headers.add(name: "X-Request-ID", value: payload.id)
            request.headers.add(name: "X-Repeated", value: "first")
            request.headers.add(name: "X-Repeated", value: "second")

            let response = try await client.execute(request)
            #expect(response.status == 200)
            #expect(response.headers.first(name: "content-type") == "application/json")
            let echo = try response.decode(EchoReply.self)
            #expect(echo.method == "PUT")
            #expect(echo.uri == "/echo?x=1&y=two")
            #expect(echo.header("x-request-id") == [payload.id])
            #expect(echo.header("X-Repeated") == ["first", "second"])
            #expect(echo.header("Content-Type") == ["application/json"])
            #expect(echo.header("Accept") == ["application/json"])
            #expect(echo.header("Expect").isEmpty)
            #expect(echo.header("User-Agent") == ["Rendezvous (libcurl)"])
            #expect(try JSONDecoder().decode(Payload.self, from: Data(echo.body.utf8)) == payload)
        }
    }

    @Test(arguments: [HTTPClientRequest.Method.get, .post, .put, .patch, .delete])
    func everyMethodArrivesAsSent(method: HTTPClientRequest.Method) async throws {
        try await withClient { client, baseURL in
            let withBody = method != .get && method != .delete
            let request = HTTPClientRequest(method: method, url: "\(baseURL)/echo", body: withBody ? Array("payload".utf8) : nil)
            let echo = try await client.execute(request).decode(EchoReply.self)
            #expect(echo.method == method.rawValue)
            #expect(echo.body == (withBody ? "payload" : ""))
            // No body, no invented Content-Type.
            #expect(echo.header("Content-Type").isEmpty)
        }
    }

    @Test func postWithEmptyBodySendsContentLengthZero() async throws {
        try await withClient { client, baseURL in
            let echo = try await client.execute(HTTPClientRequest(method: .post, url: "\(baseURL)/echo", body: [])).decode(EchoReply.self)
            #expect(echo.method == "POST")
            #expect(echo.header("Content-Length") == ["0"])
            #expect(echo.body == "")
        }
    }

    @Test func formBodyIsURLEncoded() async throws {
        try await withClient { client, baseURL in
            let request = HTTPClientRequest.form(url: "\(baseURL)/echo", fields: [
                ("grant_type", "authorization_code"), ("code", "a b/c+d"), ("redirect_uri", "https://x.test/cb?y=1&z=é"),
            ])
            let echo = try await client.execute(request).decode(EchoReply.self)
            #expect(echo.header("Content-Type") == ["application/x-www-form-urlencoded"])
            #expect(echo.body == "grant_type=authorization_code&code=a+b%2Fc%2Bd&redirect_uri=https%3A%2F%2Fx.test%2Fcb%3Fy%3D1%26z%3D%C3%A9")
        }
    }

    @Test(arguments: [404, 500, 503])
    func errorStatusesAreResponses(status: Int) async throws {
        try await withClient { client, baseURL in
            let response = try await client.execute(HTTPClientRequest(url: "\(baseURL)/status/\(status)"))
            #expect(response.status == status)
            #expect(!response.isSuccess)
            #expect(response.bodyText == "status \(status)")
        }
    }

    @Test func repeatedResponseHeadersAreKeptAndLookUpIgnoresCase() async throws {
        try await withClient { client, baseURL in
            let response = try await client.execute(HTTPClientRequest(url: "\(baseURL)/headers"))
            #expect(response.headers["x-multi"] == ["one", "two"])
            #expect(response.headers["SET-COOKIE"] == ["a=1", "b=2"])
            #expect(response.headers.first(name: "Content-Length") == "2")
            #expect(response.headers["X-Absent"].isEmpty)
        }
    }

    @Test func redirectsAreNotFollowedUnlessAsked() async throws {
        try await withClient { client, baseURL in
            let plain = try await client.execute(HTTPClientRequest(url: "\(baseURL)/redirect"))
            #expect(plain.status == 302)
            #expect(plain.headers.first(name: "location") == "/echo")

            let followed = try await client.execute(HTTPClientRequest(url: "\(baseURL)/redirect", followRedirects: true))
            #expect(followed.status == 200)
            #expect(followed.headers.first(name: "Location") == nil)  // only the final response's headers
            #expect(try followed.decode(EchoReply.self).uri == "/echo")
        }
    }

    @Test func headRequestHasNoBody() async throws {
        try await withClient { client, baseURL in
            let response = try await client.execute(HTTPClientRequest(method: .head, url: "\(baseURL)/bytes/100"))
            #expect(response.status == 200)
            #expect(response.body.isEmpty)
        }
    }

    @Test func bodyOverTheLimitFails() async throws {
        try await withClient { client, baseURL in
            let atLimit = try await client.execute(HTTPClientRequest(url: "\(baseURL)/bytes/1000", maxResponseBodySize: 1000))
            #expect(atLimit.body.count == 1000)
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: "\(baseURL)/bytes/1001", maxResponseBodySize: 1000))
            }
            #expect(error?.kind == .responseTooLarge)
        }
    }

    @Test func refusedConnectionIsCouldNotConnect() async throws {
        let client = CurlHTTPClient()
        let port = try closedLoopbackPort()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect(error?.kind == .couldNotConnect)
        #expect(error?.description == "HTTPClientError(couldNotConnect)")
        #expect(error.map { String(reflecting: $0) }?.contains("curl: 7") == true)
        try await client.shutdown()
    }

    @Test func slowResponseIsATimeout() async throws {
        try await withClient { client, baseURL in
            let started = ContinuousClock.now
            let error = await #expect(throws: HTTPClientError.self) {
                try await client.execute(HTTPClientRequest(url: "\(baseURL)/slow", timeout: .milliseconds(300)))
            }
            #expect(error?.kind == .timeout)
            #expect(ContinuousClock.now - started < .milliseconds(1500))
        }
    }

    @Test func cancellingTheTaskAbortsTheTransfer() async throws {
        try await withClient { client, baseURL in
            let started = ContinuousClock.now
            let task = Task { try await client.execute(HTTPClientRequest(url: "\(baseURL)/slow", timeout: .seconds(10))) }
            try await Task.sleep(for: .milliseconds(200))
            task.cancel()
            await #expect(throws: CancellationError.self) { try await task.value }
            #expect(ContinuousClock.now - started < .milliseconds(1800))
        }
    }

    @Test func invalidRequestsAreRefusedBeforeSending() async throws {
        try await withClient { client, baseURL in
            let badRequests = [
                HTTPClientRequest(url: "\(baseURL)/echo", headers: ["X-Injected": "a\r\nX-Evil: 1"]),
                HTTPClientRequest(url: "\(baseURL)/echo", headers: ["Bad Name": "x"]),
                HTTPClientRequest(url: "file:///etc/passwd"),
                HTTPClientRequest(url: "not a url"),
                HTTPClientRequest(url: "http://[::1/"),
                HTTPClientRequest(method: "GE T", url: "\(baseURL)/echo"),
            ]
            for request in badRequests {
                let error = await #expect(throws: HTTPClientError.self) { try await client.execute(request) }
                #expect(error?.kind == .invalidRequest, "\(request.url)")
            }
        }
    }

    @Test func hundredConcurrentRequestsSucceed() async throws {
        try await withClient { client, baseURL in
            let started = ContinuousClock.now
            try await withThrowingTaskGroup(of: Void.self) { group in
                for index in 0 ..< 100 {
                    group.addTask {
                        let id = "\(index)-\(UUID().uuidString)"
                        let response = try await client.execute(HTTPClientRequest(method: .post, url: "\(baseURL)/echo?id=\(id)", body: Array(id.utf8)))
                        #expect(response.status == 200)
                        let echo = try response.decode(EchoReply.self)
                        #expect(echo.uri == "/echo?id=\(id)")
                        #expect(echo.body == id)
                    }
                }
                try await group.waitForAll()
            }
            print("100 concurrent requests took \(ContinuousClock.now - started)")
        }
    }

    @Test func requestsAfterShutdownFail() async throws {
        let client = CurlHTTPClient(configuration: CurlHTTPClient.Configuration(numberOfThreads: 1))
        try await client.shutdown()
        let error = await #expect(throws: HTTPClientError.self) {
            try await client.execute(HTTPClientRequest(url: "http://127.0.0.1:1/"))
        }
        #expect(error?.kind == .shutdown)
    }

    /// Sequential small GETs with kept handles against a fresh handle per request; prints both.
    @Test func handleReuseIsMeasured() async throws {
        try await withEchoServer { baseURL in
            var timings: [String] = []
            for reuse in [true, false] {
                let client = CurlHTTPClient(configuration: CurlHTTPClient.Configuration(numberOfThreads: 1, reusesConnections: reuse))
                _ = try await client.execute(HTTPClientRequest(url: "\(baseURL)/status/204"))
                let started = ContinuousClock.now
                for _ in 0 ..< 300 {
                    #expect(try await client.execute(HTTPClientRequest(url: "\(baseURL)/status/204")).status == 204)
                }
                timings.append("reuse=\(reuse): \((ContinuousClock.now - started) / 300) per request")
                try await client.shutdown()
            }
            print("sequential GET: " + timings.joined(separator: ", "))
        }
    }
}

/// A loopback port nothing listens on: bound once to get a free number, then closed.
func closedLoopbackPort() throws -> Int {
    let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard descriptor >= 0 else { throw EchoServerFailure() }
    defer { close(descriptor) }
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    address.sin_port = 0
    var length = socklen_t(MemoryLayout<sockaddr_in>.size)
    let bound = withUnsafeMutablePointer(to: &address) { pointer in
        pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { generic in
            bind(descriptor, generic, length) == 0 && getsockname(descriptor, generic, &length) == 0
        }
    }
    guard bound else { throw EchoServerFailure() }
    return Int(UInt16(bigEndian: address.sin_port))
}

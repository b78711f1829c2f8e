import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing
@testable import ServiceRuntime

@Suite("Bearer tokens")
struct AccessTokensTests {
    let secret = "test-secret-test-secret-test-secret-1234"

    @Test("a token verifies to its host until it expires")
    func roundTrip() async throws {
        let tokens = await AccessTokens(secret: secret, lifetime: .seconds(60))
        let host = UUID()
        let token = try await tokens.issue(for: host)
        #expect(await tokens.verify(token) == host)
        let old = try await tokens.issue(for: host, now: Date().addingTimeInterval(-120))
        #expect(await tokens.verify(old) == nil)
    }

    @Test("forged, foreign and malformed tokens are refused")
    func refusals() async throws {
        let tokens = await AccessTokens(secret: secret)
        let other = await AccessTokens(secret: String(repeating: "z", count: 40))
        let host = UUID()
        let token = try await tokens.issue(for: host)
        #expect(await tokens.verify(try await other.issue(for: host)) == nil)
        var tampered = Array(token)
        let index = tampered.index(tampered.endIndex, offsetBy: -3)
        tampered[index] = tampered[index] == "A" ? "B" : "A"
        #expect(await tokens.verify(String(tampered)) == nil)
        #expect(await tokens.verify("") == nil)
        #expect(await tokens.verify("a.b.c") == nil)
        // An unsigned token ("alg": "none") must never pass.
        let header = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64EncodedString()
        let parts = token.split(separator: ".")
        #expect(await tokens.verify("\(header).\(parts[1]).") == nil)
    }

    @Test("the middleware sets the host only for a valid bearer token; requireHost is 401 otherwise")
    func middleware() async throws {
        var environment = ProcessInfo.processInfo.environment
        environment["AUTH_SECRET"] = secret
        environment["MIGRATE_ON_START"] = "false"
        let config = try ServiceConfiguration(environment: EnvironmentReader(environment), defaultPort: 0)
        let definition = ServiceDefinition(name: "auth-test", defaultPort: 0, openAPIDocument: "{}") { router, _ in
            router.get("/api/me") { _, context -> String in
                try context.requireHost().uuidString.lowercased()
            }
        }
        let app = try await buildApplication(definition, configuration: config, logger: Logger(label: "test"))
        let host = UUID()
        let token = try await AccessTokens(secret: secret).issue(for: host)
        try await app.test(.router) { client in
            try await client.execute(uri: "/api/me", method: .get, headers: [.authorization: "Bearer \(token)"]) { response in
                #expect(response.status == .ok)
                #expect(String(buffer: response.body) == host.uuidString.lowercased())
            }
            for header in ["", "Bearer", "Bearer x.y.z", "Basic dXNlcjpwYXNz", "bearer \(token)x"] {
                try await client.execute(uri: "/api/me", method: .get, headers: header.isEmpty ? [:] : [.authorization: header]) { response in
                    #expect(response.status == .unauthorized, "header: \(header)")
                    #expect(String(buffer: response.body).contains("\"code\":\"unauthorized\""))
                }
            }
        }
    }
}

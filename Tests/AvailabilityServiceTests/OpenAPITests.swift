import Foundation
import Testing

@Suite("OpenAPI document")
struct OpenAPITests {
    @Test("/openapi.json is valid JSON describing exactly the service's routes and the operator endpoints")
    func document() async throws {
        try await TestService.run { client in
            let reply = try await client.get("/openapi.json")
            #expect(reply.status == .ok)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any])
            #expect(object["openapi"] as? String == "3.1.0")
            let paths = try #require(object["paths"] as? [String: [String: Any]])
            let operations = Set(paths.flatMap { path, item in
                item.keys.filter { $0 != "parameters" }.map { "\($0.uppercased()) \(path)" }
            })
            #expect(operations == [
                "POST /api/users", "POST /api/auth/login", "GET /api/users/me", "PATCH /api/users/me",
                "POST /api/meeting-types", "GET /api/meeting-types", "GET /api/meeting-types/{id}", "PATCH /api/meeting-types/{id}",
                "DELETE /api/meeting-types/{id}", "GET /api/public/{user_slug}/{type_slug}", "GET /api/public/{user_slug}", "GET /api/time-zones",
                "GET /api/availability/rules", "PUT /api/availability/rules", "GET /api/availability/overrides",
                "PUT /api/availability/overrides/{date}", "DELETE /api/availability/overrides/{date}", "GET /api/availability/slots",
                "GET /health", "GET /ready", "GET /metrics", "GET /openapi.json",
            ])
            // Every schema reference resolves.
            let schemas = try #require((object["components"] as? [String: Any])?["schemas"] as? [String: Any])
            let references = reply.body.components(separatedBy: "#/components/schemas/").dropFirst().map { $0.prefix { $0 != "\"" } }
            for name in references {
                #expect(schemas[String(name)] != nil, "unresolved \(name)")
            }
        }
    }
}

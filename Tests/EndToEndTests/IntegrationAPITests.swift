import Curl
import Foundation
import TestSupport
import Testing
@testable import IntegrationService

/// The integration service's HTTP surface: the OpenAPI document, authentication, and clear
/// errors (problem JSON, never a 5xx) for every bad input.
@Suite(.timeLimit(.minutes(2)))
struct IntegrationAPITests {
    @Test func openAPIDescribesExactlyTheRoutes() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let reply = try await h.request(.get, h.integration.baseURL + "/openapi.json")
            #expect(reply.status == 200)
            let object = try #require(try JSONSerialization.jsonObject(with: Data(reply.body)) as? [String: Any])
            let paths = try #require(object["paths"] as? [String: [String: Any]])
            let operations = Set(paths.flatMap { path, item in item.keys.filter { $0 != "parameters" }.map { "\($0.uppercased()) \(path)" } })
            #expect(operations == [
                "GET /api/integrations", "POST /api/integrations/{provider}/authorize", "GET /api/integrations/{provider}/callback",
                "POST /api/integrations/caldav", "POST /api/integrations/{id}/sync", "DELETE /api/integrations/{id}",
                "POST /api/webhooks/google-calendar", "POST /api/webhooks/microsoft-graph",
                "GET /health", "GET /ready", "GET /metrics", "GET /openapi.json",
            ])
            let schemas = try #require((object["components"] as? [String: Any])?["schemas"] as? [String: Any])
            for name in reply.text.components(separatedBy: "#/components/schemas/").dropFirst().map({ $0.prefix { $0 != "\"" } }) {
                #expect(schemas[String(name)] != nil, "unresolved \(name)")
            }
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    @Test func badInputIsAClearError() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let base = h.integration.baseURL + "/api/integrations"
            #expect(try await h.request(.get, base).status == 401)
            #expect(try await h.request(.get, base, token: "forged.token.value").status == 401)
            let empty = try await h.request(.get, base, token: h.hostToken)
            #expect(empty.status == 200)
            #expect(empty.text == #"{"data":[],"next_cursor":null}"#)

            #expect(try await h.request(.post, base + "/caldav", json: #"{"server_url":"http://x","username":"u","password":"p"}"#).status == 401)
            let notJSON = try await h.request(.post, base + "/caldav", token: h.hostToken, json: "{nope")
            #expect(notJSON.status == 400)
            #expect(try notJSON.json()["code"] as? String == "malformed_json")
            let missing = try await h.request(.post, base + "/caldav", token: h.hostToken, json: #"{"username":"u"}"#)
            #expect(missing.status == 422)
            #expect(try missing.json()["code"] as? String == "validation_failed")
            let bad = try await h.request(.post, base + "/caldav", token: h.hostToken, json: #"{"server_url":"ftp://x","username":"","password":"","calendar_url":"nope"}"#)
            #expect(bad.status == 422)
            let fields = Set((try bad.json()["errors"] as? [[String: Any]] ?? []).compactMap { $0["field"] as? String })
            #expect(fields == ["server_url", "username", "password", "calendar_url"])
            // The password goes out with every request: plain http only to this machine.
            let insecure = try await h.request(.post, base + "/caldav", token: h.hostToken, json: #"{"server_url":"http://dav.example.com/","username":"u","password":"p"}"#)
            #expect(insecure.status == 422)
            #expect((try insecure.json()["errors"] as? [[String: Any]])?.first?["field"] as? String == "server_url")
            // A server that is not there is the host's input to fix, not a 5xx.
            let unreachable = try await h.request(.post, base + "/caldav", token: h.hostToken, json: #"{"server_url":"http://127.0.0.1:1/dav","username":"u","password":"p"}"#)
            #expect(unreachable.status == 422)

            let unknown = UUID().uuidString.lowercased()
            #expect(try await h.request(.post, base + "/\(unknown)/sync", token: h.hostToken).status == 404)
            #expect(try await h.request(.post, base + "/not-a-uuid/sync", token: h.hostToken).status == 404)
            #expect(try await h.request(.delete, base + "/\(unknown)", token: h.hostToken).status == 404)
            #expect(try await h.request(.delete, base + "/\(unknown)").status == 401)

            let webhook = h.integration.baseURL + "/api/webhooks/google-calendar"
            let noHeaders = try await h.request(.post, webhook)
            #expect(noHeaders.status == 404)
            #expect(noHeaders.headers.first(name: "Content-Type")?.hasPrefix("application/problem+json") == true)
            #expect(try await h.request(.post, h.integration.baseURL + "/api/webhooks/microsoft-graph", json: #"{"value":"x"}"#).status == 400)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    @Test("every malformed body is 400 malformed_json and connects nothing; a wrong type is 422 naming its field")
    func bodiesConform() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let base = h.integration.baseURL + "/api/integrations"
            let valid = #"{"server_url": "http://127.0.0.1:1/dav", "username": "u", "password": "p", "calendar_url": "http://127.0.0.1:1/dav/cal/"}"#
            var failures: [String] = []
            for item in BodyCorpus.malformed(valid) {
                let reply = try await h.request(.post, base + "/caldav", token: h.hostToken, bytes: item.bytes)
                if reply.status != 400 || (try? reply.json()["code"] as? String) != "malformed_json" { failures.append("\(item.label): \(reply.status) \(reply.text)") }
            }
            // Graph's notifications are JSON too.
            for item in BodyCorpus.malformed(#"{"value": [{"subscriptionId": "x", "clientState": "y"}]}"#) {
                let reply = try await h.request(.post, h.integration.baseURL + "/api/webhooks/microsoft-graph", bytes: item.bytes)
                if reply.status != 400 || (try? reply.json()["code"] as? String) != "malformed_json" { failures.append("graph \(item.label): \(reply.status) \(reply.text)") }
            }
            #expect(failures.isEmpty, "\(failures)")
            #expect(try await h.request(.get, base, token: h.hostToken).text == #"{"data":[],"next_cursor":null}"#)

            let fields = ["server_url", "username", "password", "calendar_url"].map { BodyCorpus.Field($0, .string) }
            var wrong: [String] = []
            for item in BodyCorpus.wrongTypes(valid, fields: fields, required: ["server_url", "username", "password"]) {
                let reply = try await h.request(.post, base + "/caldav", token: h.hostToken, bytes: Array(item.body.utf8))
                let named = (try? reply.json()["errors"] as? [[String: Any]])?.compactMap { $0["field"] as? String }
                if reply.status != 422 || named != [item.field] { wrong.append("\(item): \(reply.status) \(reply.text)") }
            }
            #expect(wrong.isEmpty, "\(wrong.count) cases: \(wrong)")
            #expect(try await h.request(.get, base, token: h.hostToken).text == #"{"data":[],"next_cursor":null}"#)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    @Test("a browser finishing the OAuth flow lands on the console's calendar page, connected or told why not")
    func browserCallbackRedirects() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let started = try await h.request(.post, h.integration.baseURL + "/api/integrations/google/authorize", token: h.hostToken)
            let url = try #require(try started.json()["authorization_url"] as? String)
            let consent = try await h.request(.get, url)
            let callback = try #require(consent.headers.first(name: "Location"))
            let html: HTTPClientHeaders = ["Accept": "text/html,application/xhtml+xml,*/*;q=0.8"]
            let landed = try await h.request(.get, callback, headers: html)
            #expect(landed.status == 303)
            #expect(landed.headers.first(name: "Location") == "/host/calendars?connected=google")
            #expect(try await h.request(.get, h.integration.baseURL + "/api/integrations", token: h.hostToken).json()["data"].map { ($0 as? [Any])?.count } == 1)
            // The state is spent: the same link again is an error page, not JSON.
            let again = try await h.request(.get, callback, headers: html)
            #expect(again.status == 303)
            #expect(again.headers.first(name: "Location") == "/host/calendars?error=validation_failed&provider=google")
            // An API client still gets problem JSON.
            #expect(try await h.request(.get, callback).status == 422)
            // The address the browser is sent to holds only our words, never the path as sent.
            let forged = try await h.request(.get, h.integration.baseURL + "/api/integrations/x&connected=google/callback?code=c&state=s", headers: html)
            #expect(forged.status == 303)
            #expect(forged.headers.first(name: "Location") == "/host/calendars?error=not_found")
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    @Test func aProviderThatIsNotConfiguredIs503() async throws {
        let h = try await IntegrationHarness.start { $0.google = nil }
        do {
            let reply = try await h.request(.post, h.integration.baseURL + "/api/integrations/google/authorize", token: h.hostToken)
            #expect(reply.status == 503)
            #expect(try reply.json()["code"] as? String == "unavailable")
            #expect(try await h.request(.post, h.integration.baseURL + "/api/integrations/microsoft/authorize", token: h.hostToken).status == 200)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }
}

// TEMPORARY until FakeMicrosoft lands.
final class FakeMicrosoft: Sendable {
    let clientID = "x", clientSecret = "y", authorizeURL = "http://127.0.0.1:1/a", tokenURL = "http://127.0.0.1:1/t", graphURL = "http://127.0.0.1:1/v1.0"
    static func start() async throws -> FakeMicrosoft { FakeMicrosoft() }
    func shutdown() async {}
}

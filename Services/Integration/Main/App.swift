import IntegrationService
import ServiceRuntime

@main
struct IntegrationApp {
    static func main() async throws {
        try await runService(IntegrationService.definition)
    }
}

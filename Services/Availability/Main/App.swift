import AvailabilityService
import ServiceRuntime

@main
struct AvailabilityApp {
    static func main() async throws {
        try await runService(AvailabilityService.definition)
    }
}

import NotifierService
import ServiceRuntime

@main
struct NotifierApp {
    static func main() async throws {
        try await runService(NotifierService.definition)
    }
}

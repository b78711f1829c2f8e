import BookingService
import ServiceRuntime

@main
struct BookingApp {
    static func main() async throws {
        try await runService(BookingService.definition)
    }
}

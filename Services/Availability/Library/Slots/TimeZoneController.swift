import ContractJSON
import Foundation
import Hummingbird
import SchedulingCore
import ServiceRuntime

/// `GET /api/time-zones` (public): every zone name the API accepts, sorted, for pickers such as
/// the booking page's. The list is the machine's tz database, so it changes only with a new
/// `tzdata`: the answer is built once and may be cached for a day.
struct TimeZoneController: Sendable {
    private static let body: ByteBuffer = {
        struct List: Encodable { var data: [String] }
        let bytes = (try? ContractJSONEncoder.contract.encode(List(data: TimeZoneDatabase.system.zones.keys.sorted()))) ?? Array(#"{"data":[]}"#.utf8)
        return ByteBuffer(bytes: bytes)
    }()

    func register(on router: Router<ServiceRequestContext>) {
        router.get("/api/time-zones") { _, _ in
            Response(
                status: .ok,
                headers: [.contentType: "application/json; charset=utf-8", .cacheControl: "public, max-age=86400"],
                body: .init(byteBuffer: Self.body)
            )
        }
    }
}

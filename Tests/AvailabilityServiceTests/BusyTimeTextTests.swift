import Foundation
import Testing
@testable import ScheduleStore

@Suite("The schedule query's busy-time text")
struct BusyTimeTextTests {
    @Test("bookings and intervals parse, UUIDs in either case")
    func parses() throws {
        let id = UUID()
        let type = UUID()
        let text = "\(id.uuidString.lowercased()),\(type.uuidString),1772546400,1772548200,10,15;\(type.uuidString.lowercased()),\(id.uuidString),-60,0,0,0"
        let bookings = try BusyTimeText.bookings(text)
        #expect(bookings.map(\.id) == [id, type])
        #expect(bookings.map(\.meetingTypeID) == [type, id])
        #expect(bookings[0].start.timeIntervalSince1970 == 1_772_546_400)
        #expect(bookings[0].end.timeIntervalSince1970 == 1_772_548_200)
        #expect(bookings[0].bufferBeforeMinutes == 10)
        #expect(bookings[0].bufferAfterMinutes == 15)
        #expect(bookings[1].start.timeIntervalSince1970 == -60)
        #expect(try BusyTimeText.bookings("").isEmpty)
        let busy = try BusyTimeText.intervals("100,200;300,400")
        #expect(busy.map { [$0.start.timeIntervalSince1970, $0.end.timeIntervalSince1970] } == [[100, 200], [300, 400]])
        for _ in 0..<100 {
            let uuid = UUID()
            #expect(BusyTimeText.uuid(ArraySlice(uuid.uuidString.utf8)) == uuid)
        }
    }

    @Test("malformed text throws", arguments: ["1;2", "x,y;1,2", "1,2,3", ";", "1,"])
    func rejects(text: String) {
        #expect(throws: (any Error).self) { try BusyTimeText.intervals(text) }
    }

    @Test("malformed UUIDs are refused", arguments: ["", "not-a-uuid", "123e4567-e89b-12d3-a456-42661417400", "123e4567+e89b-12d3-a456-426614174000", "123e4567-e89b-12d3-a456-42661417400g"])
    func rejectsUUID(text: String) {
        #expect(BusyTimeText.uuid(ArraySlice(text.utf8)) == nil)
    }
}

import Foundation
import Postgres
import ServiceRuntime
import Testing
import TestSupport
@testable import IntegrationService

/// One spelling of an id: RFC 9562's lower case in every body, header, token, link and event,
/// whichever case the client wrote it in.
@Suite(.timeLimit(.minutes(3)))
struct IdSpellingTests {
    /// Whether `text` is a UUID in RFC 9562's lower-case form.
    static func isLowerCaseUUID(_ text: String?) -> Bool {
        guard let text else { return false }
        return text.wholeMatch(of: /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/) != nil
    }

    /// Every UUID-shaped string in `text`, in any case.
    static func uuids(in text: String) -> [String] {
        text.matches(of: /[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}/).map { String($0.output) }
    }

    @Test("a host, a meeting type and a booking read through every route, token, email and event that carries their ids: the same lower-case strings")
    func oneSpelling() async throws {
        let h = try await IntegrationHarness.start(notifier: true)
        do {
            // The account: its id in the answers and in the token's subject.
            let email = "ids-\(h.tag)@example.com"
            let registered = try await h.request(.post, h.availability.baseURL + "/api/users",
                                                 json: #"{"email": "\#(email)", "password": "12345678", "name": "Id Host", "time_zone": "UTC"}"#)
            #expect(registered.status == 201)
            let userID = try #require(try registered.json()["id"] as? String)
            #expect(Self.isLowerCaseUUID(userID), "\(userID)")
            let login = try await h.request(.post, h.availability.baseURL + "/api/auth/login", json: #"{"email": "\#(email)", "password": "12345678"}"#)
            let token = try #require(try login.json()["access_token"] as? String)
            #expect((try login.json()["user"] as? [String: Any])?["id"] as? String == userID)
            let payload = try #require(Data(base64Encoded: Self.base64(token.split(separator: ".")[1])))
            #expect((try JSONSerialization.jsonObject(with: payload) as? [String: Any])?["sub"] as? String == userID)
            #expect(try await h.request(.get, h.availability.baseURL + "/api/users/me", token: token).json()["id"] as? String == userID)
            let created = try await h.request(.post, h.availability.baseURL + "/api/meeting-types", token: token,
                                              json: #"{"name": "Ids", "slug": "ids", "duration_minutes": 30}"#)
            let typeID = try #require(try created.json()["id"] as? String)
            #expect(Self.isLowerCaseUUID(typeID))
            #expect(try created.json()["user_id"] as? String == userID)
            // Either case names it; the answer spells it one way.
            let upper = try await h.request(.get, h.availability.baseURL + "/api/meeting-types/\(typeID.uppercased())", token: token)
            #expect(upper.status == 200)
            #expect(try upper.json()["id"] as? String == typeID)
            #expect(try upper.json()["user_id"] as? String == userID)
            let listed = try await h.request(.get, h.availability.baseURL + "/api/meeting-types", token: token)
            #expect((try listed.json()["data"] as? [[String: Any]])?.map { $0["id"] as? String } == [typeID])

            // The harness's host: slots, a booking, its reads, its event, its emails, its audit.
            let hostID = h.hostID.uuidString.lowercased()
            let meetingType = h.meetingTypeID.uuidString.lowercased()
            let day = h.workday()
            for query in ["date=\(day.date)", "start_date=\(day.date)&end_date=\(day.date)"] {
                let slots = try await h.request(.get, h.availability.baseURL + "/api/availability/slots?meeting_type_id=\(meetingType.uppercased())&\(query)")
                #expect(try slots.json()["meeting_type_id"] as? String == meetingType, "\(slots.text)")
            }
            let publicType = try await h.request(.get, h.availability.baseURL + "/api/public/i-\(h.tag)/intro")
            #expect(try publicType.json()["id"] as? String == meetingType)
            let byID = try await h.request(.get, h.availability.baseURL + "/api/meeting-types/\(meetingType.uppercased())")
            #expect(try byID.json()["id"] as? String == meetingType)

            let start = RFC3339.format(day.midnight.addingTimeInterval(10 * 3600))
            let inviteeEmail = "ivy-ids-\(h.tag)@example.com"
            let booked = try await h.request(.post, h.booking.baseURL + "/api/bookings", json: """
                {"meeting_type_id": "\(meetingType.uppercased())", "start_time": "\(start)", "invitee_name": "Ivy", "invitee_email": "\(inviteeEmail)", "invitee_timezone": "Asia/Kolkata"}
                """)
            #expect(booked.status == 201, "\(booked.text)")
            let booking = try booked.json()
            let bookingID = try #require(booking["id"] as? String)
            #expect(Self.isLowerCaseUUID(bookingID))
            #expect(booking["meeting_type_id"] as? String == meetingType)
            #expect(booking["host_user_id"] as? String == hostID)
            #expect(booked.headers.first(name: "Location") == "/api/bookings/\(bookingID)")
            let cancelToken = try #require(booking["cancel_token"] as? String)

            for path in ["/api/bookings/\(bookingID)?token=\(cancelToken)", "/api/bookings/\(bookingID.uppercased())?token=\(cancelToken)"] {
                let read = try await h.request(.get, h.booking.baseURL + path)
                #expect(try read.json()["id"] as? String == bookingID)
                #expect(try read.json()["meeting_type_id"] as? String == meetingType)
                #expect(try read.json()["host_user_id"] as? String == hostID)
            }
            let hostList = try await h.request(.get, h.booking.baseURL + "/api/bookings", token: h.hostToken)
            #expect((try hostList.json()["data"] as? [[String: Any]])?.compactMap { $0["id"] as? String } == [bookingID])

            // The event as the outbox holds it (what every consumer receives).
            let outbox = try await h.db.query("SELECT body FROM outbox WHERE type = 'booking.created' AND body ILIKE \("%" + bookingID + "%")")
            let event = try #require(try outbox.first?.decode("body", as: String.self))
            #expect(event.contains(bookingID) && event.contains(meetingType) && event.contains(hostID), "\(event)")
            #expect(Self.uuids(in: event).allSatisfy { $0 == $0.lowercased() }, "\(event)")

            // The notifier's audit and the invitee's email: the same string, in the links too.
            let sent = await eventually(timeout: .seconds(30)) {
                !IntegrationTestSupport.mails(to: inviteeEmail).isEmpty
            }
            #expect(sent)
            let mail = Self.decodedParts(IntegrationTestSupport.mails(to: inviteeEmail).first ?? "")
            #expect(mail.contains("/bookings/\(bookingID)?token="), "\(mail.prefix(2000))")
            #expect(mail.contains("/bookings/\(bookingID)/reschedule?token="))
            #expect(Self.uuids(in: mail).allSatisfy { $0 == $0.lowercased() })
            let notifier = try #require(h.notifier)
            let audit = try await h.request(.get, notifier.baseURL + "/api/notifications?booking_id=\(bookingID.uppercased())", token: h.hostToken)
            let entries = try #require(try audit.json()["data"] as? [[String: Any]], "\(audit.text)")
            #expect(!entries.isEmpty)
            #expect(entries.allSatisfy { $0["booking_id"] as? String == bookingID && Self.isLowerCaseUUID($0["id"] as? String) })

            // The moved booking names the old one as it was written everywhere else.
            let later = RFC3339.format(day.midnight.addingTimeInterval(11 * 3600))
            let moved = try await h.request(.post, h.booking.baseURL + "/api/bookings/\(bookingID.uppercased())/reschedule",
                                            json: #"{"start_time": "\#(later)", "version": 1, "token": "\#(cancelToken)"}"#)
            #expect(moved.status == 200, "\(moved.text)")
            #expect(try moved.json()["rescheduled_from"] as? String == bookingID)
            let newID = try #require(try moved.json()["id"] as? String)
            let cancelled = try await h.request(.post, h.booking.baseURL + "/api/bookings/\(newID.uppercased())/cancel", token: h.hostToken, json: "{}")
            #expect(try cancelled.json()["id"] as? String == newID)
            for reply in [registered, login, created, upper, listed, booked, moved, cancelled, audit] {
                #expect(Self.uuids(in: reply.text).allSatisfy { $0 == $0.lowercased() }, "\(reply.text)")
            }
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// A raw message with its base64 MIME parts decoded (text, HTML, the invitation).
    static func decodedParts(_ raw: String) -> String {
        let normalized = raw.replacingOccurrences(of: "\r\n", with: "\n")
        var text = normalized
        for part in normalized.components(separatedBy: "\n--") {
            guard let split = part.range(of: "\n\n"), part[..<split.lowerBound].lowercased().contains("content-transfer-encoding: base64") else { continue }
            let encoded = part[split.upperBound...].split(separator: "\n").prefix { !$0.isEmpty }.joined()
            if let data = Data(base64Encoded: encoded) { text += "\n" + String(decoding: data, as: UTF8.self) }
        }
        return text
    }

    /// Base64url (a JWT part) as padded base64.
    static func base64(_ part: Substring) -> String {
        var text = part.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        return text
    }
}

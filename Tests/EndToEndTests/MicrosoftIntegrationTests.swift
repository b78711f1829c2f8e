import Curl
import Foundation
import Postgres
import ProviderFakes
import ServiceRuntime
import Testing
import TestSupport
@testable import IntegrationService

/// Microsoft Graph end to end, against the local fake of Graph and the identity platform.
@Suite(.timeLimit(.minutes(3)))
struct MicrosoftIntegrationTests {
    /// Connect (authorize → consent → callback with PKCE), delta sync, a notification removes a
    /// slot, the meeting is written back and deleted, a lapsed delta token resyncs in full.
    @Test func connectSyncPushAndWriteBack() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let day = h.workday()
            let ten = day.midnight.addingTimeInterval(10 * 3600)
            _ = try await h.microsoft.addEvent(.timed(start: ten, end: ten.addingTimeInterval(3600)), title: "Board meeting")
            _ = try await h.microsoft.addEvent(.timed(start: ten.addingTimeInterval(2 * 3600), end: ten.addingTimeInterval(3 * 3600)), title: "Lunch", busy: false)

            let reply = try await h.connect(.microsoft)
            #expect(reply.status == 200, "\(reply.text)")
            #expect(try reply.json()["provider"] as? String == "microsoft")
            let id = try await h.integrationID()
            #expect(try await eventually { try await h.busy().count == 1 })
            #expect(try await h.busy().first?.start == ten)
            #expect(try await eventually { !h.microsoft.subscriptions.isEmpty })
            await h.settle(id)

            // The subscription was validated (the handshake answered) and carries our clientState.
            let two = day.midnight.addingTimeInterval(14 * 3600)
            #expect(try await h.slots(on: day.date).contains(two))
            let added = try await h.microsoft.addEvent(.timed(start: two, end: two.addingTimeInterval(1800)), title: "Call")
            #expect(try await eventually(timeout: .seconds(10)) { !(try await h.slots(on: day.date).contains(two)) })

            // A deletion arrives as @removed in the delta.
            await h.settle(id)
            try await h.microsoft.deleteEvent(id: added)
            #expect(try await eventually { try await h.busy().count == 1 })

            // A lapsed delta token: 410, then a full read.
            await h.settle(id)
            h.microsoft.invalidateSyncTokens()
            let four = day.midnight.addingTimeInterval(16 * 3600)
            _ = try await h.microsoft.addEvent(.timed(start: four, end: four.addingTimeInterval(1800)), title: "Late")
            #expect(try await eventually { try await h.busy().count == 2 })
            let deltas = h.microsoft.requests.filter { $0.path.hasSuffix("/calendarView/delta") }
            let lastIncremental = try #require(deltas.lastIndex { $0.query("$deltatoken") != nil })
            #expect(deltas[(lastIncremental + 1)...].contains { $0.query("startDateTime") != nil }, "the refused delta link was followed by a full read")
            

            // Write back and delete.
            await h.settle(id)
            let start = day.midnight.addingTimeInterval(9 * 3600)
            let booking = try await h.book(start)
            #expect(try await eventually {
                h.microsoft.events().contains { $0.title == "Intro call with Ivy Invitee" && $0.timing == .timed(start: start, end: start.addingTimeInterval(1800)) }
            })
            let bookingID = try #require(booking["id"] as? String)
            let cancel = try await h.request(
                .post, h.booking.baseURL + "/api/bookings/\(bookingID)/cancel", token: h.hostToken, json: #"{"reason":"moved"}"#
            )
            #expect(cancel.status == 200)
            #expect(try await eventually {
                !h.microsoft.events().contains { $0.title == "Intro call with Ivy Invitee" }
            })
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// A subscription that expires within a day is extended by PATCH; `reauthorizationRequired` does the same.
    @Test func subscriptionsAreRenewed() async throws {
        let h = try await IntegrationHarness.start()
        do {
            #expect(try await h.connect(.microsoft).status == 200)
            let id = try await h.integrationID()
            #expect(try await h.channelStored(id))
            await h.settle(id)
            let subscription = try #require(h.microsoft.subscriptions.first)
            try await h.db.query("UPDATE calendar_push_channels SET expires_at = now() + interval '2 hours' WHERE integration_id = \(id)")
            await h.parts.poller.pollOnce()
            #expect(h.microsoft.requests.contains { $0.method == "PATCH" && $0.path.hasSuffix("/subscriptions/\(subscription.id)") })
            let expiry = try #require(try await h.db.query("""
                SELECT extract(epoch FROM expires_at - now())::float8 AS left FROM calendar_push_channels WHERE channel_id = \(subscription.id)
                """).first?.decode("left", as: Double.self))
            #expect(expiry > 86_400, "extended by days")

            let patches = h.microsoft.requests.filter { $0.method == "PATCH" }.count
            _ = await h.microsoft.sendLifecycle(subscriptionID: subscription.id, event: "reauthorizationRequired")
            #expect(try await eventually { h.microsoft.requests.filter { $0.method == "PATCH" }.count == patches + 1 })
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// The validation handshake is echoed as text/plain; a forged clientState or an unknown
    /// subscription changes nothing; lifecycle `missed` syncs and `subscriptionRemoved` re-subscribes.
    @Test func notificationsAndLifecycle() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let url = h.integration.baseURL + "/api/webhooks/microsoft-graph"
            let handshake = try await h.request(.post, url + "?validationToken=Validation%3A%20Testing%20client%20application")
            #expect(handshake.status == 200)
            #expect(handshake.text == "Validation: Testing client application")
            #expect(handshake.headers.first(name: "Content-Type")?.hasPrefix("text/plain") == true)

            #expect(try await h.connect(.microsoft).status == 200)
            let id = try await h.integrationID()
            #expect(try await eventually { !h.microsoft.subscriptions.isEmpty })
            await h.settle(id)
            let subscription = try #require(h.microsoft.subscriptions.first)
            let before = h.microsoft.requests.count

            let forged = #"{"value":[{"subscriptionId":"\#(subscription.id)","clientState":"forged","changeType":"updated","resource":"Users/x/Events/y"}]}"#
            #expect(try await h.request(.post, url, json: forged).status == 202)
            let unknown = #"{"value":[{"subscriptionId":"\#(UUID())","clientState":"x","changeType":"updated"}]}"#
            #expect(try await h.request(.post, url, json: unknown).status == 202)
            #expect(try await h.request(.post, url, json: "not json").status == 400)
            try await Task.sleep(for: .milliseconds(300))
            await h.settle(id)
            #expect(h.microsoft.requests.count == before, "nothing synced")

            // Lifecycle: missed → a sync.
            h.microsoft.pushesEnabled = false
            let start = h.workday().midnight.addingTimeInterval(11 * 3600)
            _ = try await h.microsoft.addEvent(.timed(start: start, end: start.addingTimeInterval(1800)), title: "Quiet change")
            h.microsoft.pushesEnabled = true
            _ = await h.microsoft.sendLifecycle(subscriptionID: subscription.id, event: "missed")
            #expect(try await eventually { try await h.busy().count == 1 })

            // subscriptionRemoved → a new subscription replaces it.
            await h.settle(id)
            _ = await h.microsoft.sendLifecycle(subscriptionID: subscription.id, event: "subscriptionRemoved")
            #expect(try await eventually {
                try await h.db.query("SELECT channel_id FROM calendar_push_channels WHERE integration_id = \(id)")
                    .contains { (try? $0.decode("channel_id", as: String.self)) != subscription.id }
            })
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }
}

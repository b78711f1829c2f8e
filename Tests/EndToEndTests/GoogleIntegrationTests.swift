import Curl
import Foundation
import Postgres
import ProviderFakes
import ServiceRuntime
import Testing
import TestSupport
@testable import IntegrationService

/// Google Calendar end to end: the integration service against the local fake of Google's
/// documented API, with the availability and booking services, over the real stack.
@Suite(.timeLimit(.minutes(3)))
struct GoogleIntegrationTests {
    /// Connect through the whole redirect/callback/state/PKCE flow; the busy events remove slots;
    /// tokens are not stored readable; a change plus a push removes the slot (how fast: scripts/bench-integration).
    @Test func connectSyncAndPush() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let day = h.workday()
            let ten = day.midnight.addingTimeInterval(10 * 3600)
            _ = try await h.google.addEvent(.timed(start: ten, end: ten.addingTimeInterval(3600)), title: "Dentist")
            _ = try await h.google.addEvent(.timed(start: ten.addingTimeInterval(5 * 3600), end: ten.addingTimeInterval(6 * 3600)), title: "Focus", busy: false)

            let before = try await h.slots(on: day.date)
            #expect(before.contains(ten) && before.contains(ten.addingTimeInterval(1800)))

            let reply = try await h.connect(.google)
            #expect(reply.status == 200, "\(reply.text)")
            let json = try reply.json()
            #expect(json["provider"] as? String == "google")
            #expect(json["status"] as? String == "active")
            #expect(json["calendar_id"] as? String == h.google.calendarID)
            let id = try await h.integrationID()
            #expect((json["id"] as? String) == id.uuidString.lowercased())

            #expect(try await eventually { try await h.busy().count == 1 })
            let busy = try await h.busy()
            #expect(busy.first?.start == ten && busy.first?.end == ten.addingTimeInterval(3600))
            // calendar.synced reaches the availability service, which drops the host's cached slots.
            #expect(try await eventually(timeout: .seconds(5)) {
                let slots = try await h.slots(on: day.date)
                return !slots.contains(ten) && !slots.contains(ten.addingTimeInterval(1800))
            })
            let after = try await h.slots(on: day.date)
            #expect(after.contains(ten.addingTimeInterval(5 * 3600)), "a transparent (free) event does not block")

            // The list shows it, synced.
            let list = try await h.request(.get, h.integration.baseURL + "/api/integrations", token: h.hostToken)
            let data = try #require(try list.json()["data"] as? [[String: Any]])
            #expect(data.count == 1)
            #expect(data.first?["last_synced_at"] is String)

            // Secrets are sealed: neither token appears in the row, which still opens with the key.
            let row = try #require(try await h.db.query("SELECT * FROM calendar_integrations WHERE id = \(id)").first)
            let stored = row.values.compactMap { $0 }.joined(separator: " ")
            let refreshToken = try h.parts.vault.open(try row.decode("sealed_secret", as: String.self), for: id)
            let accessToken = try h.parts.vault.open(try row.decode("sealed_access_token", as: String.self), for: id)
            #expect(refreshToken.hasPrefix("1//0g"), "Google's refresh token form")
            #expect(h.google.requests.contains { $0.header("Authorization") == "Bearer \(accessToken)" }, "the token the API saw")
            #expect(!stored.contains(refreshToken) && !stored.contains(accessToken), "neither token is readable in the row")

            // A push channel was registered; a new event plus its push removes the slot quickly.
            #expect(try await eventually { !h.google.channels.isEmpty })
            await h.settle(id)
            let two = day.midnight.addingTimeInterval(14 * 3600)
            #expect(try await h.slots(on: day.date).contains(two))
            _ = try await h.google.addEvent(.timed(start: two, end: two.addingTimeInterval(1800)), title: "Call")
            #expect(try await eventually(timeout: .seconds(10)) { !(try await h.slots(on: day.date).contains(two)) })
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// All-day events block the host's whole local day; cancelled events stop blocking.
    @Test func allDayAndCancelledEvents() async throws {
        let h = try await IntegrationHarness.start(hostZone: "America/New_York")
        do {
            let day = h.workday(daysAhead: 3)
            let allDay = try await h.google.addEvent(.allDay(first: day.date, endExclusive: h.nextDate(day.date)), title: "Conference")
            let reply = try await h.connect(.google)
            #expect(reply.status == 200, "\(reply.text)")
            let id = try await h.integrationID()
            #expect(try await eventually { try await h.busy().count == 1 })
            let busy = try #require(try await h.busy().first)
            #expect(busy.start == day.midnight, "busy from the host's local midnight")
            #expect(busy.end.timeIntervalSince(busy.start) >= 23 * 3600 && busy.end.timeIntervalSince(busy.start) <= 25 * 3600)

            await h.settle(id)
            try await h.google.deleteEvent(id: allDay)
            #expect(try await eventually { try await h.busy().isEmpty })
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// With pushes lost, the poller catches the change once the last sync is older than 10 minutes.
    @Test func missedPushIsCaughtByThePoll() async throws {
        let h = try await IntegrationHarness.start()
        do {
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            #expect(try await eventually {
                try await h.db.query("SELECT 1 FROM calendar_integrations WHERE id = \(id) AND last_synced_at IS NOT NULL").count == 1
            })
            await h.settle(id)
            h.google.pushesEnabled = false
            let start = h.workday().midnight.addingTimeInterval(11 * 3600)
            _ = try await h.google.addEvent(.timed(start: start, end: start.addingTimeInterval(1800)), title: "No push for this")
            try await Task.sleep(for: .milliseconds(300))
            #expect(try await h.busy().isEmpty, "no push, no sync")

            // A poll round soon after the sync does nothing; once the sync is stale, it syncs.
            await h.parts.poller.pollOnce()
            await h.settle(id)
            #expect(try await h.busy().isEmpty)
            try await h.db.query("UPDATE calendar_integrations SET last_synced_at = now() - interval '11 minutes' WHERE id = \(id)")
            await h.parts.poller.pollOnce()
            await h.settle(id)
            #expect(try await h.busy().count == 1)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// A booking appears in the host's Google calendar and disappears when it is cancelled; the
    /// meeting the service wrote is not read back as busy time.
    @Test func bookingsAreWrittenBack() async throws {
        let h = try await IntegrationHarness.start()
        do {
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            await h.settle(id)
            let start = h.workday().midnight.addingTimeInterval(9.5 * 3600)
            let booking = try await h.book(start)
            let bookingID = try #require(booking["id"] as? String)
            let token = try #require(booking["cancel_token"] as? String)

            #expect(try await eventually {
                h.google.events().contains { $0.title == "Intro call with Ivy Invitee" && $0.timing == .timed(start: start, end: start.addingTimeInterval(1800)) }
            })
            let written = try #require(h.google.events().first { $0.title == "Intro call with Ivy Invitee" })
            #expect(written.timing == .timed(start: start, end: start.addingTimeInterval(1800)))
            #expect(written.attendees.contains("ivy-\(h.tag)@example.com"))
            #expect(try await eventually {
                try await h.db.query("SELECT 1 FROM calendar_event_links WHERE integration_id = \(id)").count == 1
            })

            // Its push and sync do not turn our own meeting into external busy time.
            await h.settle(id)
            _ = try await h.request(.post, h.integration.baseURL + "/api/integrations/\(id.uuidString.lowercased())/sync", token: h.hostToken)
            await h.settle(id)
            #expect(try await h.busy().isEmpty)

            let cancel = try await h.request(.post, h.booking.baseURL + "/api/bookings/\(bookingID)/cancel", json: #"{"token":"\#(token)","reason":"conflict"}"#)
            #expect(cancel.status == 200)
            #expect(try await eventually {
                !h.google.events().contains { $0.title == "Intro call with Ivy Invitee" }
            })
            #expect(try await eventually {
                try await h.db.query("SELECT 1 FROM calendar_event_links WHERE integration_id = \(id)").isEmpty
            })
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// A reschedule moves the meeting in the host's calendar (same event, new time).
    @Test func rescheduleMovesTheMeeting() async throws {
        let h = try await IntegrationHarness.start()
        do {
            #expect(try await h.connect(.google).status == 200)
            await h.settle(try await h.integrationID())
            let start = h.workday().midnight.addingTimeInterval(9 * 3600)
            let booking = try await h.book(start)
            let bookingID = try #require(booking["id"] as? String)
            let token = try #require(booking["cancel_token"] as? String)
            #expect(try await eventually { h.google.events().contains { $0.timing == .timed(start: start, end: start.addingTimeInterval(1800)) } })
            let eventID = try #require(h.google.events().first { $0.timing == .timed(start: start, end: start.addingTimeInterval(1800)) }?.id)

            let later = start.addingTimeInterval(2 * 3600)
            let moved = try await h.request(
                .post, h.booking.baseURL + "/api/bookings/\(bookingID)/reschedule",
                json: #"{"token":"\#(token)","version":1,"start_time":"\#(RFC3339.format(later))"}"#
            )
            #expect(moved.status == 200, "\(moved.text)")
            #expect(try await eventually { h.google.events().contains { $0.id == eventID && $0.timing == .timed(start: later, end: later.addingTimeInterval(1800)) } })
            #expect(h.google.events().filter { $0.title?.hasPrefix("Intro call") == true }.count == 1)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// A 410 for the sync token makes a full resync; a 429 backs off from 60 s (at least
    /// Retry-After) and keeps the last data.
    @Test func expiredSyncTokenAndRateLimit() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let day = h.workday()
            let first = day.midnight.addingTimeInterval(10 * 3600)
            _ = try await h.google.addEvent(.timed(start: first, end: first.addingTimeInterval(1800)), title: "One")
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            #expect(try await eventually { try await h.busy().count == 1 })
            #expect(try await eventually { !h.google.channels.isEmpty })
            await h.settle(id)

            h.google.invalidateSyncTokens()
            let second = day.midnight.addingTimeInterval(12 * 3600)
            _ = try await h.google.addEvent(.timed(start: second, end: second.addingTimeInterval(1800)), title: "Two")
            #expect(try await eventually { try await h.busy().count == 2 })
            await h.settle(id)
            let lists = h.google.requests.filter { $0.path.hasSuffix("/events") && $0.method == "GET" }
            let lastIncremental = try #require(lists.lastIndex { $0.query("syncToken") != nil })
            #expect(lists[(lastIncremental + 1)...].contains { $0.query("syncToken") == nil && $0.query("timeMin") != nil },
                    "after the stale token was refused, the whole window was read")

            // 429 with Retry-After: 120 → the integration waits at least that long, data kept.
            h.google.failNextRequests(count: 1, status: 429, retryAfter: 120)
            let third = day.midnight.addingTimeInterval(15 * 3600)
            _ = try await h.google.addEvent(.timed(start: third, end: third.addingTimeInterval(1800)), title: "Three")
            #expect(try await eventually {
                try await h.db.query("SELECT 1 FROM calendar_integrations WHERE id = \(id) AND consecutive_failures = 1").count == 1
            })
            await h.settle(id)
            let row = try #require(try await h.db.query("""
                SELECT status, extract(epoch FROM retry_not_before - now())::float8 AS wait FROM calendar_integrations WHERE id = \(id)
                """).first)
            #expect(try row.decode("status", as: String.self) == "active")
            #expect(try row.decode("wait", as: Double.self) > 110)
            #expect(try await h.busy().count == 2, "the last synced data stays")
            let requests = h.google.requests.count
            await h.parts.poller.pollOnce()
            await h.settle(id)
            #expect(h.google.requests.count == requests, "no call during the backoff")
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// The provider down (503s): the last synced data stays and is served, the integration backs
    /// off from 30 s and stays active; once the provider is back, the next sync catches up.
    @Test func providerOutageKeepsTheLastData() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let day = h.workday()
            let first = day.midnight.addingTimeInterval(10 * 3600)
            try await h.google.addEvent(.timed(start: first, end: first.addingTimeInterval(1800)), title: "Before the outage")
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            #expect(try await eventually { try await h.busy().count == 1 })
            #expect(try await h.channelStored(id))
            await h.settle(id)

            h.google.failNextRequests(count: 100, status: 503)
            let second = day.midnight.addingTimeInterval(12 * 3600)
            try await h.google.addEvent(.timed(start: second, end: second.addingTimeInterval(1800)), title: "During the outage")
            #expect(try await eventually {
                try await h.db.query("SELECT 1 FROM calendar_integrations WHERE id = \(id) AND consecutive_failures >= 1").count == 1
            })
            await h.settle(id)
            let row = try #require(try await h.db.query("""
                SELECT status, last_sync_error, extract(epoch FROM retry_not_before - now())::float8 AS wait FROM calendar_integrations WHERE id = \(id)
                """).first)
            #expect(try row.decode("status", as: String.self) == "active")
            #expect(try row.decode("last_sync_error", as: String?.self)?.contains("unavailable") == true)
            #expect(try row.decode("wait", as: Double.self) > 20)
            #expect(try await h.busy().count == 1, "the last synced data is kept")
            #expect(!(try await h.slots(on: day.date).contains(first)), "and still blocks the slot")

            // The provider is back; the backoff runs out; the poller's next round catches up.
            h.google.failNextRequests(count: 0, status: 503)
            try await h.db.query("UPDATE calendar_integrations SET retry_not_before = now(), last_synced_at = now() - interval '11 minutes' WHERE id = \(id)")
            await h.parts.poller.pollOnce()
            await h.settle(id)
            #expect(try await h.busy().count == 2)
            let healed = try #require(try await h.db.query("SELECT consecutive_failures, stale_since FROM calendar_integrations WHERE id = \(id)").first)
            #expect(try healed.decode("consecutive_failures", as: Int.self) == 0)
            #expect(try healed.decode("stale_since", as: Date?.self) == nil)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// A revoked refresh token: `needs_reauth`, busy data kept (stale), and the host's email.
    @Test func revokedGrantNeedsReauth() async throws {
        let h = try await IntegrationHarness.start(notifier: true)
        do {
            let start = h.workday().midnight.addingTimeInterval(10 * 3600)
            _ = try await h.google.addEvent(.timed(start: start, end: start.addingTimeInterval(1800)), title: "Kept")
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            #expect(try await eventually { try await h.busy().count == 1 })
            #expect(try await eventually { !h.google.channels.isEmpty })
            await h.settle(id)

            h.google.revokeRefreshTokens()
            h.google.expireAccessTokens()
            _ = try await h.google.addEvent(.timed(start: start.addingTimeInterval(3600), end: start.addingTimeInterval(5400)), title: "Unseen")
            #expect(try await eventually {
                try await h.db.query("SELECT 1 FROM calendar_integrations WHERE id = \(id) AND status = 'needs_reauth' AND stale_since IS NOT NULL").count == 1
            })
            #expect(try await h.busy().count == 1, "busy data is kept, marked stale")
            let list = try await h.request(.get, h.integration.baseURL + "/api/integrations", token: h.hostToken)
            #expect((try list.json()["data"] as? [[String: Any]])?.first?["status"] as? String == "needs_reauth")
            let events = try await h.db.query("SELECT 1 FROM outbox WHERE type = 'integration.needs_reauth' AND body ILIKE \("%\(id.uuidString)%")")
            #expect(events.count == 1, "one event, not one per failed call")
            #expect(try await eventually(timeout: .seconds(30)) {
                IntegrationTestSupport.mails(to: h.hostEmail).contains { $0.contains("reconnect_calendar") || $0.lowercased().contains("reconnect") }
            })
            let sync = try await h.request(.post, h.integration.baseURL + "/api/integrations/\(id.uuidString.lowercased())/sync", token: h.hostToken)
            #expect(sync.status == 409)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// An unknown channel id or a wrong channel token is refused and changes nothing.
    @Test func forgedPushesChangeNothing() async throws {
        let h = try await IntegrationHarness.start()
        do {
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            #expect(try await eventually { !h.google.channels.isEmpty })
            await h.settle(id)
            let channel = try #require(h.google.channels.first)
            let before = h.google.requests.count
            let url = h.integration.baseURL + "/api/webhooks/google-calendar"

            var unknown = HTTPClientHeaders()
            unknown.add(name: "X-Goog-Channel-ID", value: UUID().uuidString)
            unknown.add(name: "X-Goog-Resource-State", value: "exists")
            #expect(try await h.request(.post, url, headers: unknown).status == 404)

            var forged = HTTPClientHeaders()
            forged.add(name: "X-Goog-Channel-ID", value: channel.id)
            forged.add(name: "X-Goog-Channel-Token", value: "not-the-token")
            forged.add(name: "X-Goog-Resource-ID", value: channel.resourceID)
            forged.add(name: "X-Goog-Resource-State", value: "exists")
            let reply = try await h.request(.post, url, headers: forged)
            #expect(reply.status == 403)
            #expect(reply.headers.first(name: "Content-Type")?.hasPrefix("application/problem+json") == true)

            // The right token without the channel's resource id is refused too.
            var partial = HTTPClientHeaders()
            partial.add(name: "X-Goog-Channel-ID", value: channel.id)
            partial.add(name: "X-Goog-Channel-Token", value: try #require(channel.token))
            partial.add(name: "X-Goog-Resource-State", value: "exists")
            #expect(try await h.request(.post, url, headers: partial).status == 403)

            try await Task.sleep(for: .milliseconds(300))
            await h.settle(id)
            #expect(h.google.requests.count == before, "no sync ran")
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// State is single-use, bound to a host and a provider; declines and bad input are clear errors.
    @Test func oauthFlowErrors() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let base = h.integration.baseURL + "/api/integrations"
            #expect(try await h.request(.post, base + "/google/authorize").status == 401)
            #expect(try await h.request(.post, base + "/yahoo/authorize", token: h.hostToken).status == 404)
            #expect(try await h.request(.post, base + "/caldav/authorize", token: h.hostToken).status == 404)

            let started = try await h.request(.post, base + "/google/authorize", token: h.hostToken)
            let url = try #require(try started.json()["authorization_url"] as? String)
            let query = try #require(URLComponents(string: url)?.queryItems)
            #expect(query.first { $0.name == "code_challenge_method" }?.value == "S256")
            #expect((query.first { $0.name == "code_challenge" }?.value?.count ?? 0) == 43)
            #expect(query.first { $0.name == "state" }?.value?.isEmpty == false)
            #expect(query.first { $0.name == "redirect_uri" }?.value == base + "/google/callback")

            let consent = try await h.request(.get, url)
            let location = try #require(consent.headers.first(name: "Location"))
            // The state was made for Google: Microsoft's callback does not take it.
            let crossed = location.replacingOccurrences(of: "/google/callback", with: "/microsoft/callback")
            #expect(try await h.request(.get, crossed).status == 422)
            // Single use: consumed by the crossed attempt, it is gone for Google too.
            let replay = try await h.request(.get, location)
            #expect(replay.status == 422)
            #expect(try replay.json()["code"] as? String == "validation_failed")

            #expect(try await h.request(.get, base + "/google/callback").status == 422)
            #expect(try await h.request(.get, base + "/google/callback?code=x&state=unknown").status == 422)
            let denied = try await h.request(.get, base + "/google/callback?error=access_denied&state=whatever")
            #expect(denied.status == 403)

            // Nothing was connected.
            #expect(try await h.db.query("SELECT 1 FROM calendar_integrations WHERE host_user_id = \(h.hostID)").isEmpty)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// Concurrent callers needing a refreshed token cause one refresh.
    @Test func oneRefreshAtATime() async throws {
        let h = try await IntegrationHarness.start()
        do {
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            await h.settle(id)
            try await h.db.query("UPDATE calendar_integrations SET access_token_expires_at = now() + interval '1 minute' WHERE id = \(id)")
            let record = try #require(try await h.db.withConnection { try await IntegrationRepository.find(id, in: $0) })
            let refreshesBefore = h.google.refreshCount
            let tokens = h.parts.tokens
            let results = try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0 ..< 10 { group.addTask { try await tokens.accessToken(for: record) } }
                return try await group.reduce(into: Set<String>()) { $0.insert($1) }
            }
            #expect(results.count == 1)
            #expect(h.google.refreshCount == refreshesBefore + 1)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// A channel that expires within a day is replaced: a new watch, then the old one stopped.
    @Test func channelsAreRenewedBeforeTheyExpire() async throws {
        let h = try await IntegrationHarness.start()
        do {
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            #expect(try await h.channelStored(id))
            await h.settle(id)
            let old = try #require(h.google.channels.first)
            try await h.db.query("UPDATE calendar_push_channels SET expires_at = now() + interval '2 hours' WHERE integration_id = \(id)")
            await h.parts.poller.pollOnce()
            let channels = h.google.channels
            #expect(channels.count == 1)
            #expect(channels.first?.id != old.id, "a new channel replaced the old one")
            #expect(h.google.requests.contains { $0.path.hasSuffix("/channels/stop") })
            let stored = try await h.db.query("SELECT channel_id FROM calendar_push_channels WHERE integration_id = \(id)")
            #expect(try stored.map { try $0.decode("channel_id", as: String.self) } == channels.map(\.id), "\(stored.map(\.values)) vs \(channels)")
            // The new channel works: a change is pushed and synced.
            let start = h.workday().midnight.addingTimeInterval(10 * 3600)
            try await h.google.addEvent(.timed(start: start, end: start.addingTimeInterval(1800)), title: "After renewal")
            #expect(try await eventually { try await h.busy().count == 1 })
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    /// Disconnecting stops the channel and deletes the synced busy time.
    @Test func disconnect() async throws {
        let h = try await IntegrationHarness.start()
        do {
            let start = h.workday().midnight.addingTimeInterval(10 * 3600)
            _ = try await h.google.addEvent(.timed(start: start, end: start.addingTimeInterval(1800)), title: "Busy")
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            #expect(try await eventually { try await h.busy().count == 1 })
            #expect(try await eventually { !h.google.channels.isEmpty })
            await h.settle(id)

            let other = try await AccessTokens(secret: IntegrationTestSupport.secret).issue(for: UUID())
            let path = h.integration.baseURL + "/api/integrations/\(id.uuidString.lowercased())"
            #expect(try await h.request(.delete, path, token: other).status == 404, "another host's id is not found")
            #expect(try await h.request(.delete, path, token: h.hostToken).status == 204)
            #expect(try await h.busy().isEmpty)
            #expect(h.google.channels.isEmpty)
            #expect(try await h.request(.delete, path, token: h.hostToken).status == 404)
            #expect(try await h.slots(on: h.workday().date).contains(start))
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }
}

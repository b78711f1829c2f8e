import Foundation
import Testing
@testable import NotifierService

/// Stops and starts the local stack's SMTP sink: run alone, in the serial pass of `scripts/test`.
@Suite(
    "Notifier: SMTP server away (NotifierFaultTests)",
    .serialized,
    .enabled(if: ProcessInfo.processInfo.environment["RENDEZVOUS_FAULT_TESTS"] == "1")
)
struct NotifierFaultTests {
    @Test("while the SMTP server is down, emails wait without using attempts; when it returns they are delivered, once")
    func smtpAway() async throws {
        let f = try await NotifierFixture.make()
        let options = f.options(dispatcher: .init(
            pollInterval: .milliseconds(250), retryInitialDelay: .milliseconds(200), unreachableMaximumDelay: .milliseconds(500)
        ))
        #expect(try await NotifierTestSupport.runStack(["stop", "smtp"]) == 0)
        do {
            try await NotifierFlowTests.withNotifier(f, options: options) { _ in
                let (booking, _) = try await f.book(start: NotifierFixture.hoursAhead(24 * 20))
                // The confirmations are due but the server refuses connections: they wait, untouched.
                #expect(try await NotifierTestSupport.eventually(timeout: .seconds(15)) {
                    try await f.scheduled(booking.id).filter { $0.hasPrefix("confirmation") } == ["confirmation:host:pending", "confirmation:invitee:pending"]
                })
                try await Task.sleep(for: .seconds(3))
                let waiting = try await f.db.query("""
                    SELECT max(attempts)::int AS attempts, count(*) FILTER (WHERE last_error IS NOT NULL)::int AS tried
                    FROM scheduled_notifications WHERE booking_id = \(booking.id) AND kind = 'confirmation' AND status = 'pending'
                    """)
                #expect(try waiting[0].decode("attempts", as: Int.self) == 0)
                #expect(try waiting[0].decode("tried", as: Int.self) == 2)

                #expect(try await NotifierTestSupport.runStack(["start", "smtp"]) == 0)
                #expect(try await NotifierTestSupport.eventually(timeout: .seconds(30)) {
                    try await f.scheduled(booking.id).filter { $0.hasPrefix("confirmation") } == ["confirmation:host:sent", "confirmation:invitee:sent"]
                })
                try await Task.sleep(for: .seconds(1))
                #expect(try MailSink.messages(to: f.inviteeEmail, kind: "confirmation").count == 1)
                #expect(try MailSink.messages(to: f.hostEmail, kind: "confirmation").count == 1)
            }
        } catch {
            _ = try? await NotifierTestSupport.runStack(["start", "smtp"])
            await f.cleanUp()
            throw error
        }
        _ = try await NotifierTestSupport.runStack(["start", "smtp"])
        await f.cleanUp()
    }
}

import Curl
import Foundation
import Postgres
import Testing
import TestSupport
@testable import NotifierService

/// Stops and starts the SMTP sink, kills a dispatcher process: run alone, in the serial pass of `scripts/test`.
@Suite(
    "Notifier faults: the SMTP server away, a notifier process killed inside SMTP",
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
        #expect(try await Stack.status(["stop", "smtp"]) == 0)
        do {
            try await NotifierFlowTests.withNotifier(f, options: options) { _ in
                let (booking, _) = try await f.book(start: NotifierFixture.hoursAhead(24 * 20))
                // The confirmations are due but the server refuses connections: they wait, untouched.
                #expect(try await eventually(timeout: .seconds(15)) {
                    try await f.scheduled(booking.id).filter { $0.hasPrefix("confirmation") } == ["confirmation:host:pending", "confirmation:invitee:pending"]
                })
                try await Task.sleep(for: .seconds(3))
                let waiting = try await f.db.query("""
                    SELECT max(attempts)::int AS attempts, count(*) FILTER (WHERE last_error IS NOT NULL)::int AS tried
                    FROM scheduled_notifications WHERE booking_id = \(booking.id) AND kind = 'confirmation' AND status = 'pending'
                    """)
                #expect(try waiting[0].decode("attempts", as: Int.self) == 0)
                // A turn stops at the first refused connection (the server is away for all of them)
                // and hands the rest back untried, so one or both carry the error; neither used an attempt.
                #expect((1...2).contains(try waiting[0].decode("tried", as: Int.self)))

                #expect(try await Stack.status(["start", "smtp"]) == 0)
                #expect(try await eventually(timeout: .seconds(30)) {
                    try await f.scheduled(booking.id).filter { $0.hasPrefix("confirmation") } == ["confirmation:host:sent", "confirmation:invitee:sent"]
                })
                try await Task.sleep(for: .seconds(1))
                #expect(try MailSink.messages(to: f.inviteeEmail, kind: "confirmation").count == 1)
                #expect(try MailSink.messages(to: f.hostEmail, kind: "confirmation").count == 1)
            }
        } catch {
            _ = try? await Stack.status(["start", "smtp"])
            await f.cleanUp()
            throw error
        }
        _ = try await Stack.status(["start", "smtp"])
        await f.cleanUp()
    }

    @Test(
        "a notifier process killed after SMTP accepted an email and before it was recorded: after restart the email is not sent again",
        .timeLimit(.minutes(2))
    )
    func killedBetweenAcceptanceAndRecording() async throws {
        let f = try await NotifierFixture.make()
        let bookings = try await NotifierDispatcherTests.schedule(f, count: 1, start: NotifierFixture.hoursAhead(24 * 60))
        // A second process (this test binary running only NotifierChildDispatcher) sends one email,
        // and once the server accepted it, writes the marker and hangs before recording it, until killed.
        let marker = FileManager.default.temporaryDirectory.appendingPathComponent("notifier-child-\(f.tag)")
        let child = Process()
        child.executableURL = URL(fileURLWithPath: try FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
        child.arguments = ["--testing-library", "swift-testing", "--filter", "NotifierChildDispatcher"]
        child.environment = ProcessInfo.processInfo.environment.merging([
            "NOTIFIER_CHILD_HOST": f.hostID.uuidString, "NOTIFIER_CHILD_MARKER": marker.path, "RENDEZVOUS_FAULT_TESTS": "0",
        ]) { _, new in new }
        child.standardOutput = FileHandle.nullDevice
        child.standardError = FileHandle.nullDevice
        try child.run()
        defer { if child.isRunning { kill(child.processIdentifier, SIGKILL) } }
        let reachedWindow = await eventually(timeout: .seconds(60)) { FileManager.default.fileExists(atPath: marker.path) }
        try #require(reachedWindow, "the child handed an email to SMTP and stopped before recording it")
        let killedID = try #require(UUID(uuidString: String(decoding: try Data(contentsOf: marker), as: UTF8.self)))
        kill(child.processIdentifier, SIGKILL)
        child.waitUntilExit()
        try? FileManager.default.removeItem(at: marker)

        let row = try await f.db.query("SELECT status, recipient FROM scheduled_notifications WHERE id = \(killedID)")
        #expect(try row[0].decode("status", as: String.self) == "sending")
        let recipient = try row[0].decode("recipient", as: String.self)
        let messageID = "<\(killedID.uuidString.lowercased())@rendezvous.local>"
        #expect(try MailSink.messages(to: recipient).filter { $0.messageID == messageID }.count == 1, "the server has it")

        // The restarted notifier: the row the dead process left in `sending` becomes unconfirmed and is
        // not sent again; the rows it had only claimed go back to pending and are sent.
        let smtp = try SMTPClient(url: try NotifierTestSupport.configuration().smtpURL, logger: testLogger("smtp"))
        let restarted = NotificationDispatcher.Configuration(
            pollInterval: .milliseconds(100), claimLease: .seconds(1), sendingTimeout: .seconds(2), recoveryInterval: .milliseconds(200)
        )
        try await withServices([try NotifierDispatcherTests.dispatcher(f, transport: smtp, configuration: restarted)]) {
            let settled = try await eventually(timeout: .seconds(20)) {
                try await f.scheduled(bookings[0].id).filter { $0.hasPrefix("confirmation") }.sorted()
                    == ["confirmation:host:\(recipient == f.hostEmail ? "unconfirmed" : "sent")",
                        "confirmation:invitee:\(recipient == f.hostEmail ? "sent" : "unconfirmed")"]
            }
            #expect(settled)
            try await Task.sleep(for: .seconds(1))
        }
        try await smtp.shutdown()
        #expect(try MailSink.messages(to: recipient).filter { $0.messageID == messageID }.count == 1, "not sent again")
        #expect(try MailSink.messages(to: f.hostEmail, kind: "confirmation").count == 1)
        #expect(try MailSink.messages(to: f.inviteeEmail, kind: "confirmation").count == 1)
        let audit = try await f.db.query("SELECT status FROM email_notifications WHERE scheduled_notification_id = \(killedID)")
        #expect(try audit.map { try $0.decode("status", as: String.self) } == ["unconfirmed"])
        await f.cleanUp()
    }
}

/// The dispatcher process of ``NotifierFaultTests/killedBetweenAcceptanceAndRecording()``: runs only
/// when that test starts this binary with `NOTIFIER_CHILD_HOST` set, and never returns by itself.
@Suite(.enabled(if: ProcessInfo.processInfo.environment["NOTIFIER_CHILD_HOST"] != nil))
struct NotifierChildDispatcher {
    @Test func dispatchUntilKilled() async throws {
        let environment = ProcessInfo.processInfo.environment
        let host = try #require(environment["NOTIFIER_CHILD_HOST"].flatMap(UUID.init(uuidString:)))
        let marker = try #require(environment["NOTIFIER_CHILD_MARKER"])
        let settings = try NotifierTestSupport.configuration()
        let database = try await NotifierTestSupport.database()
        let smtp = try SMTPClient(url: settings.smtpURL, logger: testLogger("child.smtp"))
        let dispatcher = NotificationDispatcher(
            database: database, transport: smtp,
            renderer: NotificationRenderer(templates: try EmailTemplates.bundled(), publicBaseURL: settings.publicBaseURL),
            repository: NotifierService.repository(settings), sender: .init(address: settings.mailFrom),
            encryptionKey: try NotifierTestSupport.encryptionKey(), databaseURL: nil, logger: testLogger("child.dispatcher"),
            configuration: .init(
                concurrency: 1, pollInterval: .milliseconds(100),
                afterAccepted: { id in
                    // Accepted by the server, not recorded: tell the parent, then hang until killed.
                    _ = FileManager.default.createFile(atPath: marker, contents: Data(id.uuidString.utf8))
                    try? await Task.sleep(for: .seconds(600))
                },
                onlyHosts: [host]
            )
        )
        try await dispatcher.run()
    }
}

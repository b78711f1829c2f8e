import Foundation
import Testing

@testable import Curl

/// `SMTP_URL` (default: the local sink) and where the sink writes messages (`MAIL_SINK_DIR`,
/// else `SMTP_SINK_DIR` as scripts/test and the sink name it, else `<repo>/.run/mail`).
enum MailSink {
    static var url: String {
        ProcessInfo.processInfo.environment["SMTP_URL"] ?? "smtp://127.0.0.1:55025"
    }

    static var directory: URL {
        let environment = ProcessInfo.processInfo.environment
        if let directory = environment["MAIL_SINK_DIR"] ?? environment["SMTP_SINK_DIR"] { return URL(fileURLWithPath: directory) }
        // Tests/CurlTests/<file> → the repository root, through any symlinked checkout.
        return URL(fileURLWithPath: #filePath).resolvingSymlinksInPath()
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent(".run/mail")
    }

    /// The text of the `.eml` file containing `marker`, waiting up to `timeout` for it to appear.
    static func message(containing marker: String, timeout: Duration = .seconds(5)) async throws -> String? {
        let deadline = ContinuousClock.now + timeout
        // Files are named by the instant written: earlier runs' messages are skipped unread.
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(identifier: "UTC")
        formatter.dateFormat = "yyyyMMdd'T'HHmmss"
        let cutoff = formatter.string(from: Date().addingTimeInterval(-5 * 60))
        while ContinuousClock.now < deadline {
            let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
            for name in names where name.hasSuffix(".eml") && !name.hasPrefix(".") && name >= cutoff {
                let text = (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
                if text.contains(marker) { return text }
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return nil
    }
}

/// An RFC 5322 message with a unique Message-ID.
func makeMessage(id: String, from: String, to: String, subject: String) -> [UInt8] {
    let lines = [
        "From: Rendezvous <\(from)>",
        "To: <\(to)>",
        "Subject: \(subject)",
        "Message-ID: <\(id)@rendezvous.test>",
        "Date: Mon, 02 Mar 2026 10:00:00 +0000",
        "MIME-Version: 1.0",
        "Content-Type: text/plain; charset=utf-8",
        "Content-Transfer-Encoding: 8bit",
        "",
        "Your meeting is confirmed.",
        ".a line starting with a dot, which SMTP must escape",
        "Zürich 10:00 — Tokyo 18:00",
        "",
    ]
    return Array(lines.joined(separator: "\r\n").utf8)
}

@Suite("SMTPClient")
struct SMTPClientTests {
    @Test func messageReachesTheSink() async throws {
        let client = try SMTPClient(url: MailSink.url)
        let id = UUID().uuidString
        let recipient = "invitee-\(id.prefix(8))@example.test"
        try await client.send(
            makeMessage(id: id, from: "noreply@rendezvous.test", to: recipient, subject: "Confirmed \(id)"),
            from: "noreply@rendezvous.test",
            to: [recipient, "host-\(id.prefix(8))@example.test"]
        )
        try await client.shutdown()

        let stored = try #require(try await MailSink.message(containing: "<\(id)@rendezvous.test>"))
        #expect(stored.contains("X-Envelope-From: noreply@rendezvous.test"))
        #expect(stored.contains("X-Envelope-To: \(recipient), host-\(id.prefix(8))@example.test"))
        #expect(stored.contains("Subject: Confirmed \(id)"))
        #expect(stored.contains("\r\n.a line starting with a dot"))  // dot-stuffing undone by the server
        #expect(stored.contains("Zürich 10:00 — Tokyo 18:00"))
    }

    @Test func consecutiveMessagesReuseTheClient() async throws {
        let client = try SMTPClient(url: MailSink.url, numberOfThreads: 1)
        let ids = (0 ..< 3).map { _ in UUID().uuidString }
        for id in ids {
            try await client.send(makeMessage(id: id, from: "a@rendezvous.test", to: "b@example.test", subject: "n"),
                                  from: "a@rendezvous.test", to: ["b@example.test"])
        }
        try await client.shutdown()
        for id in ids {
            #expect(try await MailSink.message(containing: "<\(id)@rendezvous.test>") != nil)
        }
    }

    @Test func loginFromTheURLIsUsed() async throws {
        // The sink accepts any login; this proves the credentials do not break the session.
        guard var components = URLComponents(string: MailSink.url), components.user == nil else { return }
        components.user = "mailer"
        components.password = "p@ss:word"
        let client = try SMTPClient(url: components.string!)
        let id = UUID().uuidString
        try await client.send(makeMessage(id: id, from: "a@rendezvous.test", to: "b@example.test", subject: "auth"),
                              from: "a@rendezvous.test", to: ["b@example.test"])
        try await client.shutdown()
        #expect(try await MailSink.message(containing: "<\(id)@rendezvous.test>") != nil)
    }

    @Test func closedPortIsUnreachableAndTransient() async throws {
        let client = try SMTPClient(url: "smtp://127.0.0.1:\(try closedLoopbackPort())")
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(Array("Subject: x\r\n\r\nx\r\n".utf8), from: "a@rendezvous.test", to: ["b@example.test"])
        }
        #expect(error?.kind == .unreachable)
        #expect(error?.isTransient == true)
        #expect(error?.description == "SMTPError(unreachable)")
        try await client.shutdown()
    }

    @Test func requiredSTARTTLSWithoutServerSupportFails() async throws {
        let client = try SMTPClient(url: MailSink.url + "?starttls=required")
        let error = await #expect(throws: SMTPError.self) {
            try await client.send(Array("Subject: x\r\n\r\nx\r\n".utf8), from: "a@rendezvous.test", to: ["b@example.test"])
        }
        #expect(error?.kind == .tls)
        #expect(error?.isTransient == false)
        try await client.shutdown()
    }

    @Test(arguments: [
        (ScriptedSMTPServer.Rejection.recipient(code: 550), SMTPError.Kind.recipientRejected, 550, false),
        (.recipient(code: 450), .recipientRejected, 450, true),
        (.sender(code: 553), .senderRejected, 553, false),
        (.message(code: 554), .messageRejected, 554, false),
        (.message(code: 451), .messageRejected, 451, true),
    ] as [(ScriptedSMTPServer.Rejection, SMTPError.Kind, Int, Bool)])
    func rejectionsAreClassified(rejection: ScriptedSMTPServer.Rejection, kind: SMTPError.Kind, code: Int, transient: Bool) async throws {
        try await ScriptedSMTPServer.with(rejecting: rejection) { port in
            let client = try SMTPClient(url: "smtp://127.0.0.1:\(port)")
            let error = await #expect(throws: SMTPError.self) {
                try await client.send(Array("Subject: x\r\n\r\nbody\r\n".utf8), from: "a@rendezvous.test", to: ["nobody@example.test"])
            }
            #expect(error?.kind == kind)
            #expect(error?.replyCode == code)
            #expect(error?.isTransient == transient)
            try await client.shutdown()
        }
    }

    @Test func scriptedServerAcceptsWhenNothingIsRejected() async throws {
        // The scripted peer only rejects the step it is told to; a message to it goes through.
        try await ScriptedSMTPServer.with(rejecting: .sender(code: 250)) { port in
            let client = try SMTPClient(url: "smtp://127.0.0.1:\(port)")
            try await client.send(Array("Subject: x\r\n\r\nbody\r\n".utf8), from: "a@rendezvous.test", to: ["b@example.test"])
            try await client.shutdown()
        }
    }

    @Test func unsafeEnvelopesAreRefused() async throws {
        let client = try SMTPClient(url: MailSink.url)
        for (sender, recipients) in [("a@x.test\r\nRCPT TO:<evil@x.test>", ["b@x.test"]), ("a@x.test", []), ("a@x.test", ["b@x.test\n"]), ("a@x.test", [""])] {
            let error = await #expect(throws: SMTPError.self) { try await client.send([], from: sender, to: recipients) }
            #expect(error?.kind == .invalidEnvelope)
        }
        try await client.shutdown()
    }
}

@Suite("SMTPEndpoint")
struct SMTPEndpointTests {
    @Test func plainURL() throws {
        let endpoint = try SMTPEndpoint(url: "smtp://127.0.0.1:55025")
        #expect(endpoint.host == "127.0.0.1")
        #expect(endpoint.port == 55025)
        #expect(endpoint.security == .none)
        #expect(endpoint.user == nil)
        #expect(endpoint.curlURL == "smtp://127.0.0.1:55025/")
    }

    @Test func credentialsTLSAndDefaults() throws {
        let submission = try SMTPEndpoint(url: "smtp://user%40example.com:p%3Ass@mail.example.com:587/client.example.com?starttls=required")
        #expect(submission.user == "user@example.com")
        #expect(submission.password == "p:ss")
        #expect(submission.security == .startTLSRequired)
        #expect(submission.ehloName == "client.example.com")
        #expect(submission.curlURL == "smtp://mail.example.com:587/client.example.com")
        #expect(!submission.description.contains("p:ss"))
        #expect(!String(reflecting: submission).contains("p:ss"))

        #expect(try SMTPEndpoint(url: "smtp://mail.example.com").port == 25)
        #expect(try SMTPEndpoint(url: "smtp://mail.example.com?starttls=optional").security == .startTLSIfOffered)
        let implicit = try SMTPEndpoint(url: "smtps://mail.example.com")
        #expect(implicit.port == 465)
        #expect(implicit.security == .implicitTLS)
        #expect(implicit.curlURL == "smtps://mail.example.com:465/")
        #expect(try SMTPEndpoint(url: "smtp://[::1]:2525").curlURL == "smtp://[::1]:2525/")
    }

    @Test(arguments: ["http://mail.example.com", "smtp://", "smtp://host?tls=yes", "smtps://host?starttls=required", "smtp://host?starttls=maybe", "smtp://host:0"])
    func invalidURLs(_ url: String) {
        let error = #expect(throws: SMTPError.self) { try SMTPEndpoint(url: url) }
        #expect(error?.kind == .invalidConfiguration)
    }
}

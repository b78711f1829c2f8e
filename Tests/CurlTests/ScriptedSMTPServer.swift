import Foundation
import NIOCore
import NIOPosix

/// A real SMTP peer on 127.0.0.1 that follows a script: it accepts everything except the one
/// step it is told to reject, so tests can see how rejections arrive (the local sink accepts all).
enum ScriptedSMTPServer {
    /// Which command gets which reply code instead of 250.
    enum Rejection: Sendable {
        case sender(code: Int)
        case recipient(code: Int)
        case message(code: Int)
    }

    /// Runs `body` with the port of a server following `rejection`.
    static func with(rejecting rejection: Rejection, _ body: (Int) async throws -> Void) async throws {
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ScriptedSMTPHandler(rejection: rejection))
                }
            }
            .bind(host: "127.0.0.1", port: 0)
            .get()
        do {
            try await body(channel.localAddress!.port!)
        } catch {
            try? await channel.close()
            throw error
        }
        try await channel.close()
    }
}

/// One scripted SMTP session.
private final class ScriptedSMTPHandler: ChannelInboundHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    private let rejection: ScriptedSMTPServer.Rejection
    private var pending: [UInt8] = []
    private var receivingMessage = false

    init(rejection: ScriptedSMTPServer.Rejection) {
        self.rejection = rejection
    }

    func channelActive(context: ChannelHandlerContext) {
        reply("220 scripted ESMTP", context: context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = unwrapInboundIn(data)
        pending += buffer.readBytes(length: buffer.readableBytes) ?? []
        while let end = pending.firstIndex(of: UInt8(ascii: "\n")) {
            let line = String(decoding: pending[..<end], as: UTF8.self).trimmingCharacters(in: ["\r"])
            pending.removeSubrange(...end)
            handle(line, context: context)
        }
    }

    private func handle(_ line: String, context: ChannelHandlerContext) {
        if receivingMessage {
            guard line == "." else { return }
            receivingMessage = false
            if case .message(let code) = rejection { reply("\(code) message rejected", context: context) } else { reply("250 queued", context: context) }
            return
        }
        let command = line.uppercased()
        if command.hasPrefix("EHLO") {
            reply("250-scripted\r\n250 8BITMIME", context: context)
        } else if command.hasPrefix("MAIL FROM") {
            if case .sender(let code) = rejection { reply("\(code) sender rejected", context: context) } else { reply("250 ok", context: context) }
        } else if command.hasPrefix("RCPT TO") {
            if case .recipient(let code) = rejection { reply("\(code) no such user", context: context) } else { reply("250 ok", context: context) }
        } else if command == "DATA" {
            receivingMessage = true
            reply("354 go ahead", context: context)
        } else if command == "QUIT" {
            reply("221 bye", context: context)
            context.close(promise: nil)
        } else {
            reply("250 ok", context: context)
        }
    }

    private func reply(_ text: String, context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(context.channel.allocator.buffer(string: text + "\r\n")), promise: nil)
    }
}


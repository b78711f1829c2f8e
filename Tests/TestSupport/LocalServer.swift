import Foundation
import Hummingbird
import Logging
import NIOConcurrencyHelpers
import ServiceLifecycle

/// A Hummingbird server on `127.0.0.1`, on a port the system picks, for tests that need a peer
/// over real HTTP (an echo server, a webhook receiver, a provider fake). The one copy of "start
/// on port 0 and learn the port".
package final class LocalServer: Sendable {
    /// `http://127.0.0.1:PORT`.
    package let baseURL: String
    private let serviceGroup: ServiceGroup
    private let running: NIOLockedValueBox<Task<Void, any Error>?>

    private init(baseURL: String, serviceGroup: ServiceGroup, running: Task<Void, any Error>) {
        self.baseURL = baseURL
        self.serviceGroup = serviceGroup
        self.running = NIOLockedValueBox(running)
    }

    /// Starts `responder` listening; returns once the port is known.
    package static func start<Responder: HTTPResponder>(
        _ responder: Responder, label: String
    ) async throws -> LocalServer where Responder.Context: InitializableFromSource<ApplicationRequestContextSource> {
        var logger = Logger(label: label)
        logger.logLevel = .warning
        let (ports, portContinuation) = AsyncStream.makeStream(of: Int.self)
        let app = Application(
            responder: responder,
            configuration: ApplicationConfiguration(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { channel in
                portContinuation.yield(channel.localAddress?.port ?? 0)
                portContinuation.finish()
            },
            logger: logger
        )
        let serviceGroup = ServiceGroup(configuration: ServiceGroupConfiguration(services: [app], logger: logger))
        // The server may outlive this call, so the group runs in a task that `shutdown()` ends.
        let running = Task { try await serviceGroup.run() }
        var iterator = ports.makeAsyncIterator()
        guard let port = await iterator.next(), port > 0 else {
            await serviceGroup.triggerGracefulShutdown()
            _ = try? await running.value
            throw LocalServerStartFailure()
        }
        return LocalServer(baseURL: "http://127.0.0.1:\(port)", serviceGroup: serviceGroup, running: running)
    }

    /// Starts `router`'s routes; see ``start(_:label:)``.
    package static func start<Context>(router: Router<Context>, label: String) async throws -> LocalServer
    where Context: InitializableFromSource<ApplicationRequestContextSource> {
        try await start(router.buildResponder(), label: label)
    }

    /// Stops the server by a graceful shutdown (never by cancelling it: a connection accepted
    /// while a cancelled server winds down trips a NIO precondition) and waits; later calls do nothing.
    package func shutdown() async {
        guard let task = running.withLockedValue({ task in defer { task = nil }; return task }) else { return }
        await serviceGroup.triggerGracefulShutdown()
        _ = try? await task.value
    }
}

/// Runs `body` with `router` served on a local port, then stops the server, whatever `body` did.
package func withLocalServer<Context, Value: Sendable>(
    _ router: Router<Context>, label: String, _ body: (String) async throws -> Value
) async throws -> Value where Context: InitializableFromSource<ApplicationRequestContextSource> {
    let server = try await LocalServer.start(router: router, label: label)
    do {
        let value = try await body(server.baseURL)
        await server.shutdown()
        return value
    } catch {
        await server.shutdown()
        throw error
    }
}

/// The server did not report a port.
package struct LocalServerStartFailure: Error {}

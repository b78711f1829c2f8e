import ServiceLifecycle

/// A service that does `action` once the group shuts down: closing a client after the services
/// that use it have stopped (the group stops its services in reverse order).
package struct OnShutdown: Service {
    private let action: @Sendable () async throws -> Void

    package init(_ action: @escaping @Sendable () async throws -> Void) {
        self.action = action
    }

    package func run() async throws {
        try? await gracefulShutdown()
        try await action()
    }
}

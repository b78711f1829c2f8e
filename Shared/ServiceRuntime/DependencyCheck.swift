/// One dependency `/ready` asks: PostgreSQL, Redis, RabbitMQ.
package struct DependencyCheck: Sendable {
    /// The name `/ready` reports (`postgres`, `redis`, `rabbitmq`).
    package var name: String
    /// Throws when the dependency does not answer.
    package var check: @Sendable () async throws -> Void

    package init(name: String, check: @escaping @Sendable () async throws -> Void) {
        self.name = name
        self.check = check
    }
}

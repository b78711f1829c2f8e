import AMQP
import Events
import Foundation
import Postgres
import Testing
import TestSupport

@Suite("Event consumers against PostgreSQL and RabbitMQ")
struct EventConsumerTests {
    /// A consumer of a fresh queue whose handler records each application in `table`.
    static func consumer(
        queue: String, bindings: [String], table: String, database: PostgresClient, outcomes: OutcomeLog,
        retryDelays: [Duration] = [.milliseconds(200)],
        handler extra: (@Sendable (ReceivedEvent) throws -> Void)? = nil
    ) throws -> EventConsumer {
        EventConsumer(
            queue: queue, bindings: bindings, database: database,
            amqpConfiguration: try TestEnvironment.amqpConfiguration(),
            logger: testLogger("consumer"),
            configuration: .init(prefetch: 8, retryDelays: retryDelays, beforeAck: { event, outcome in await outcomes.append(event, outcome) })
        ) { event, session in
            try extra?(event)
            try await session.query(PostgresQuery(unsafeSQL: "INSERT INTO \(table) (event_id) VALUES ($1)", binds: [event.id.postgresText]))
        }
    }

    @Test("the same event id delivered twice is applied once and acked twice")
    func duplicatesApplyOnce() async throws {
        let database = try await EventsTestSupport.database()
        let tag = freshTag()
        let type = "test.\(tag).dup"
        let table = try await EventsTestSupport.createEffectsTable(database, tag: tag)
        let outcomes = OutcomeLog()
        let consumer = try Self.consumer(queue: "test.events.\(tag)", bindings: [type], table: table, database: database, outcomes: outcomes)
        let amqp = AMQPConnection(configuration: try TestEnvironment.amqpConfiguration(), logger: testLogger("amqp"))
        try await amqp.declare(consumer.topology.amqpTopology)

        let envelope = EventEnvelope(id: UUID(), type: type, occurredAt: Date(), version: 1, data: TestChange(sequence: 1, note: "twice"))
        let body = Array(try EventCoding.encoder.encode(envelope))
        let properties = AMQPMessageProperties(messageID: envelope.id.postgresText, contentType: "application/json")
        try await withServices([consumer]) {
            try await amqp.publish(exchange: EventTopology.exchangeName, routingKey: type, body: body, properties: properties)
            try await amqp.publish(exchange: EventTopology.exchangeName, routingKey: type, body: body, properties: properties)
            #expect(await eventually(timeout: .seconds(15)) { await outcomes.entries.count >= 2 })
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(await outcomes.count(.processed) == 1)
        #expect(await outcomes.count(.duplicate) == 1)
        let effects = try await EventsTestSupport.countEffects(database, table: table)
        #expect(effects.total == 1)
        let processed = try await database.query("SELECT count(*)::int AS n FROM processed_events WHERE consumer = \(consumer.topology.queue) AND event_id = \(envelope.id)")
        #expect(try processed[0].decode("n", as: Int.self) == 1)

        await EventsTestSupport.cleanUp(database, table: table, queues: consumer.topology.queueNames, amqp: amqp)
        await amqp.close()
        try await database.shutdown()
    }

    @Test("outbox → relay → consumer: the handler sees the header, the data and the request id")
    func endToEnd() async throws {
        let database = try await EventsTestSupport.database()
        let tag = freshTag()
        let table = try await EventsTestSupport.createEffectsTable(database, tag: tag)
        let outcomes = OutcomeLog()
        let seen = SeenEvents()
        let hostUserID = UUID()
        // A real domain event type, bound only for this host's event: the queue binds the type, and the
        // handler records only the event this test wrote (other tests may publish the same type).
        let consumer = try Self.consumer(
            queue: "test.events.\(tag)", bindings: [AvailabilityChanged.type], table: table, database: database, outcomes: outcomes
        ) { event in
            let data = try event.decode(AvailabilityChanged.self)
            if data.hostUserID == hostUserID { seen.record(event, data) }
        }
        let amqp = AMQPConnection(configuration: try TestEnvironment.amqpConfiguration(), logger: testLogger("amqp"))
        let relay = OutboxRelay(database: database, amqp: amqp, logger: testLogger("relay"), databaseURL: EventsTestSupport.databaseURL)
        let occurredAt = Date(timeIntervalSince1970: 1_773_151_200)
        try await amqp.declare(consumer.topology.amqpTopology)
        let id = try await withServices([consumer, relay]) {
            let id = try await database.withTransaction { session in
                try await Outbox.enqueue(AvailabilityChanged(hostUserID: hostUserID, reason: .rules), requestID: "req-\(tag)", occurredAt: occurredAt, in: session)
            }
            #expect(await eventually(timeout: .seconds(15)) { seen.first != nil })
            return id
        }
        let (event, data) = try #require(seen.first)
        #expect(event.id == id)
        #expect(event.type == "availability.changed")
        #expect(event.version == 1)
        #expect(event.occurredAt == occurredAt)
        #expect(event.requestID == "req-\(tag)")
        #expect(event.attempt == 1)
        #expect(data == AvailabilityChanged(hostUserID: hostUserID, reason: .rules))

        await EventsTestSupport.cleanUp(database, table: table, queues: consumer.topology.queueNames, amqp: amqp)
        await amqp.close()
        try await database.shutdown()
    }
}

/// What a handler saw, guarded by a lock (handlers are synchronous here).
final class SeenEvents: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [(ReceivedEvent, AvailabilityChanged)] = []

    func record(_ event: ReceivedEvent, _ data: AvailabilityChanged) {
        lock.withLock { events.append((event, data)) }
    }

    var first: (ReceivedEvent, AvailabilityChanged)? { lock.withLock { events.first } }
}

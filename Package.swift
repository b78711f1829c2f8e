// swift-tools-version:6.0
import PackageDescription

/// One set of compiler settings for every target.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
]

/// A Debian -dev package behind a system-library target.
func systemLibrary(_ name: String, pkgConfig: String, apt: [String]) -> Target {
    .systemLibrary(
        name: name,
        path: "Shared/CSystem/\(name)",
        pkgConfig: pkgConfig,
        providers: [.apt(apt)]
    )
}

/// A shared library target under `Shared/`.
func shared(_ name: String, _ dependencies: [Target.Dependency] = [], resources: [Resource]? = nil) -> Target {
    .target(name: name, dependencies: dependencies, path: "Shared/\(name)", resources: resources, swiftSettings: swiftSettings)
}

/// A service: its library (controllers, repositories, consumers) and a tiny executable.
func service(_ name: String, executable: String, _ dependencies: [Target.Dependency], resources: [Resource]? = nil) -> [Target] {
    [
        .target(
            name: "\(name)Service",
            dependencies: ["ServiceRuntime", "ContractJSON", "Retrying", "Postgres", hummingbird, httpTypes, logging, metrics, lifecycle] + dependencies,
            path: "Services/\(name)/Library",
            resources: resources,
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "\(name)Main",
            dependencies: [.target(name: "\(name)Service"), "ServiceRuntime"],
            path: "Services/\(name)/Main",
            swiftSettings: swiftSettings
        ),
    ]
}

/// A unit or integration test target under `Tests/`.
func tests(_ name: String, _ dependencies: [Target.Dependency]) -> Target {
    .testTarget(name: name, dependencies: dependencies, path: "Tests/\(name)", swiftSettings: swiftSettings)
}

let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let nioConcurrency: Target.Dependency = .product(name: "NIOConcurrencyHelpers", package: "swift-nio")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let lifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let hummingbird: Target.Dependency = .product(name: "Hummingbird", package: "hummingbird")
let hummingbirdTesting: Target.Dependency = .product(name: "HummingbirdTesting", package: "hummingbird")

let package = Package(
    name: "Rendezvous",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "booking", targets: ["BookingMain"]),
        .executable(name: "availability", targets: ["AvailabilityMain"]),
        .executable(name: "integration", targets: ["IntegrationMain"]),
        .executable(name: "notifier", targets: ["NotifierMain"]),
        .executable(name: "engine-benchmark", targets: ["EngineBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/vapor/jwt-kit", from: "5.8.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    ],
    targets: [
        // The pure domain: no I/O, no clock reads.
        shared("SchedulingCore"),

        // The API's JSON: strict RFC 8259 parsing, field paths in every error, ids in lower case.
        shared("ContractJSON"),

        // The one backoff (exponential, capped, jittered) and the one Retry-After parser.
        shared("Retrying"),

        // The C client libraries, from Debian's -dev packages.
        systemLibrary("CPostgres", pkgConfig: "libpq", apt: ["libpq-dev"]),
        systemLibrary("CRedis", pkgConfig: "hiredis", apt: ["libhiredis-dev"]),
        systemLibrary("CAMQP", pkgConfig: "librabbitmq", apt: ["librabbitmq-dev"]),
        systemLibrary("CCurl", pkgConfig: "libcurl", apt: ["libcurl4-openssl-dev"]),
        systemLibrary("COpenSSL", pkgConfig: "libcrypto", apt: ["libssl-dev"]),

        // Thin async wrappers: every blocking C call runs on a thread the wrapper owns.
        shared("Postgres", ["CPostgres", "Retrying", nioPosix, nioCore, nioConcurrency, logging]),
        shared("Redis", ["CRedis", nioPosix, nioCore, logging]),
        shared("AMQP", ["CAMQP", "Retrying", nioPosix, nioCore, logging]),
        shared("Curl", ["CCurl", nioPosix, nioCore, nioConcurrency, logging]),
        shared("Cryptography", ["COpenSSL"]),

        // The schedule and busy time the engine reads, shared by availability and booking.
        shared("ScheduleStore", ["Postgres", "SchedulingCore"]),

        // RFC 5545: text (escaping, folding, UTC times) for invitations and CalDAV objects, and the
        // reader of calendar objects (components, dates in their zones, durations, recurrence, busy time).
        shared("ICalendar", ["SchedulingCore"]),

        // Events between services: envelope, transactional outbox, relay, idempotent consumers.
        shared("Events", [
            "Postgres", "AMQP", "ContractJSON", "Retrying", logging, metrics, nioCore,
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
        ]),

        // What every service repeats.
        shared("ServiceRuntime", [
            "Postgres", "Redis", "AMQP", "Cryptography", "SchedulingCore", "ContractJSON", "Retrying", logging, metrics, httpTypes, nioConcurrency,
            .product(name: "Hummingbird", package: "hummingbird"),
            .product(name: "Prometheus", package: "swift-prometheus"),
            .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            .product(name: "JWTKit", package: "jwt-kit"),
        ], resources: [.copy("Migrations")]),
    ]
    + service("Booking", executable: "booking", ["SchedulingCore", "ScheduleStore", "Events", "Cryptography", "Redis"])
    + service("Availability", executable: "availability", [
        "SchedulingCore", "ScheduleStore", "Events", "Cryptography", "Redis", nioConcurrency, nioCore, nioPosix,
        .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
    ])
    + service("Integration", executable: "integration", ["Events", "Curl", "Cryptography", "SchedulingCore", "ICalendar"])
    + service("Notifier", executable: "notifier", [
        "Events", "Curl", "Cryptography", "ICalendar", "SchedulingCore",
        .product(name: "Mustache", package: "swift-mustache"),
    ], resources: [.copy("Templates")])
    + [
        .executableTarget(
            name: "EngineBenchmark",
            dependencies: ["SchedulingCore"],
            path: "Tests/Benchmarks/EngineBenchmark",
            swiftSettings: swiftSettings
        ),
        // What several test targets share (bodies that break the contract's JSON, …).
        .target(
            name: "TestSupport", dependencies: ["AMQP", "Postgres", "ServiceRuntime", logging, hummingbird, nioConcurrency, lifecycle],
            path: "Tests/TestSupport", swiftSettings: swiftSettings
        ),
        // Local fakes of Google Calendar + OAuth and Microsoft Graph + identity, for tests only.
        .target(
            name: "ProviderFakes",
            dependencies: ["Curl", "Cryptography", "TestSupport", logging, hummingbird, httpTypes, nioConcurrency, nioCore, lifecycle],
            path: "Tests/ProviderFakes",
            swiftSettings: swiftSettings
        ),
        // The integration service alone: providers' wire formats, CalDAV against Radicale, the fakes.
        tests("IntegrationServiceTests", [
            "IntegrationService", "ProviderFakes", "Cryptography", "Curl", "ICalendar", "SchedulingCore", "TestSupport",
            hummingbird, logging, nioConcurrency, nioCore, lifecycle,
        ]),
        // Flows across services, each live on loopback: calendars with availability and booking,
        // ids through every route, email and event.
        tests("EndToEndTests", [
            "IntegrationService", "ProviderFakes", "AvailabilityService", "BookingService", "NotifierService", "TestSupport",
            "AMQP", "Cryptography", "Curl", "Events", "ICalendar", "Postgres", "SchedulingCore", "ServiceRuntime",
            hummingbird, logging, nioConcurrency, nioCore, lifecycle,
            hummingbirdTesting,
        ]),
        tests("SchedulingCoreTests", ["SchedulingCore"]),
        tests("ContractJSONTests", ["ContractJSON"]),
        tests("RetryingTests", ["Retrying"]),
        tests("PostgresTests", ["Postgres", "TestSupport", logging]),
        tests("RedisTests", ["Redis", "TestSupport", logging]),
        tests("AMQPTests", ["AMQP", "TestSupport", logging]),
        tests("CurlTests", ["Curl", "TestSupport", hummingbird, httpTypes, logging, nioCore, nioPosix, lifecycle]),
        tests("CryptographyTests", ["Cryptography"]),
        tests("EventsTests", ["Events", "ServiceRuntime", "TestSupport", "AMQP", "Postgres", logging, lifecycle]),
        tests("AvailabilityServiceTests", [
            "AvailabilityService", "TestSupport", "Events", "Postgres", "Redis", "ScheduleStore", "SchedulingCore", "ServiceRuntime",
            hummingbird, httpTypes, logging, nioConcurrency,
            hummingbirdTesting,
        ]),
        tests("BookingServiceTests", [
            "BookingService", "TestSupport", "Cryptography", "Postgres", "SchedulingCore", "ServiceRuntime", hummingbird, httpTypes, logging,
            hummingbirdTesting,
        ]),
        tests("NotifierServiceTests", [
            "NotifierService", "TestSupport", "AMQP", "Cryptography", "Curl", "Events", "ICalendar", "Postgres", "ServiceRuntime",
            hummingbird, httpTypes, logging, lifecycle,
            "BookingService",
            hummingbirdTesting,
        ]),
        tests("ServiceRuntimeTests", [
            "ServiceRuntime", "TestSupport", "Postgres", hummingbird, logging,
            hummingbirdTesting,
        ]),
    ]
)

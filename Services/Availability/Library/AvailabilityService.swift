import ServiceRuntime

/// The availability service: its port, routes and background work.
package enum AvailabilityService {
    /// Everything `runService` needs to start the availability service.
    package static var definition: ServiceDefinition {
        ServiceDefinition(
            name: "availability",
            defaultPort: 8082,
            openAPIDocument: OpenAPIDocument.make(title: "Rendezvous availability service")
        )
    }
}

import ServiceRuntime

/// The booking service: its port, routes and background work.
package enum BookingService {
    /// Everything `runService` needs to start the booking service.
    package static var definition: ServiceDefinition {
        ServiceDefinition(
            name: "booking",
            defaultPort: 8081,
            openAPIDocument: OpenAPIDocument.make(title: "Rendezvous booking service")
        )
    }
}

import ServiceRuntime

/// The notifier service: its port, routes and background work.
package enum NotifierService {
    /// Everything `runService` needs to start the notifier service.
    package static var definition: ServiceDefinition {
        ServiceDefinition(
            name: "notifier",
            defaultPort: 8084,
            openAPIDocument: OpenAPIDocument.make(title: "Rendezvous notifier service")
        )
    }
}

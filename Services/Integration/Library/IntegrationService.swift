import ServiceRuntime

/// The integration service: its port, routes and background work.
package enum IntegrationService {
    /// Everything `runService` needs to start the integration service.
    package static var definition: ServiceDefinition {
        ServiceDefinition(
            name: "integration",
            defaultPort: 8083,
            openAPIDocument: OpenAPIDocument.make(title: "Rendezvous integration service")
        )
    }
}

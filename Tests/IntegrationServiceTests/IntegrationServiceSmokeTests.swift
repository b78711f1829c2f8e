import IntegrationService
import Testing

@Suite struct IntegrationServiceSmokeTests {
    @Test func definitionNamesTheService() {
        #expect(IntegrationService.definition.name == "integration")
        #expect(IntegrationService.definition.defaultPort == 8083)
    }
}

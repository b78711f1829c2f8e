/// Local fakes of the calendar providers' documented HTTP APIs, for tests only.
package enum ProviderFakes {}

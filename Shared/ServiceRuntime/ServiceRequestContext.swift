import Foundation
import Hummingbird

/// The request context every service uses: Hummingbird's core storage, the request id, and the
/// authenticated host once the bearer middleware has run.
package struct ServiceRequestContext: RequestContext {
    package var coreContext: CoreRequestContextStorage
    /// The `X-Request-ID` this request carries (taken from the gateway, or made here).
    package var requestID: String
    /// The host the bearer token names, when one was presented and verified.
    package var authenticatedUserID: UUID?
    /// Whether the request carried an `Authorization` header at all (valid or not).
    package var presentedCredentials: Bool

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        requestID = ""
        authenticatedUserID = nil
        presentedCredentials = false
    }

    package var requestDecoder: ContractRequestDecoder { ContractRequestDecoder() }
    package var responseEncoder: ContractResponseEncoder { ContractResponseEncoder() }
    /// Bodies larger than this are refused with a 413 before they are read.
    package var maxUploadSize: Int { 1 << 20 }
}

import ContractJSON
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import Postgres
import ServiceRuntime

/// `POST /api/webhooks/google-calendar` and `POST /api/webhooks/microsoft-graph`: provider pushes.
///
/// A push is only a hint to sync: it is checked against a channel we opened (unknown channel →
/// 404, wrong token → 403, and never a sync), answered at once, and the sync runs behind it,
/// coalesced with any other for the same integration.
struct WebhookController: Sendable {
    let database: PostgresClient
    let coordinator: SyncCoordinator
    /// Renews and replaces subscriptions behind the 202.
    let workflow: IntegrationWorkflow
    let logger: Logger
    let metrics = IntegrationMetrics()

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/api/webhooks/google-calendar") { request, context in try await google(request, context) }
        router.post("/api/webhooks/microsoft-graph") { request, context in try await microsoft(request, context) }
    }

    // MARK: Google

    /// Google's headers: `X-Goog-Channel-ID`, `X-Goog-Channel-Token`, `X-Goog-Resource-ID`,
    /// `X-Goog-Resource-State` (`sync` is the handshake after a watch; `exists`/`not_exists` mean
    /// the calendar changed), `X-Goog-Message-Number`. The body is empty.
    func google(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let received = Date()
        let headers = request.headers
        guard let channelID = headers[HTTPField.Name("X-Goog-Channel-ID")!], !channelID.isEmpty, channelID.count <= 256,
              let channel = try await database.withConnection({ try await PushChannelRepository.channel(channelID, in: $0) }),
              channel.provider == .google else {
            metrics.webhook(.google, outcome: "unknown_channel")
            throw Problem.notFound("Unknown channel.")
        }
        let token = headers[HTTPField.Name("X-Goog-Channel-Token")!] ?? ""
        let resourceID = headers[HTTPField.Name("X-Goog-Resource-ID")!]
        guard CredentialVault.matches(token, digest: channel.tokenHash),
              channel.resourceID == nil || resourceID == channel.resourceID, channel.expiresAt > received else {
            metrics.webhook(.google, outcome: "bad_token")
            logger.warning("Google push with a wrong channel token", metadata: ["channel": "\(channelID)"])
            throw Problem.forbidden("The channel token or resource does not match, or the channel expired.")
        }
        switch headers[HTTPField.Name("X-Goog-Resource-State")!] ?? "" {
        case "sync":
            metrics.webhook(.google, outcome: "handshake")
        case "exists", "not_exists":
            metrics.webhook(.google, outcome: "accepted")
            await requestSync(channel.integrationID, dueSince: received)
        default:
            metrics.webhook(.google, outcome: "ignored")
        }
        return Response(status: .ok)
    }

    // MARK: Microsoft Graph

    struct GraphNotifications: Decodable {
        struct Item: Decodable {
            var subscriptionId: String?
            var clientState: String?
            var changeType: String?
            var lifecycleEvent: String?
        }

        var value: [Item]
    }

    /// Graph's own camelCase keys, parsed as strictly as every other body.
    static let graphDecoder = ContractJSONDecoder(keyDecoding: .useDefaultKeys, dateDecoding: { RFC3339.parse($0) })

    /// The validation handshake (`?validationToken=` echoed as `text/plain` with 200, within
    /// Graph's 10 seconds), change notifications and lifecycle notifications (`reauthorizationRequired`,
    /// `subscriptionRemoved`, `missed`). Items with an unknown subscription or a wrong
    /// `clientState` are dropped; the batch is acknowledged with 202 so Graph does not retry it.
    func microsoft(_ request: Request, _ context: ServiceRequestContext) async throws -> Response {
        let received = Date()
        if let token = request.uri.queryParameters["validationToken"] {
            metrics.webhook(.microsoft, outcome: "handshake")
            var headers = HTTPFields()
            headers[.contentType] = "text/plain; charset=utf-8"
            headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
            return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: String(token.prefix(4096)))))
        }
        let body = try await request.body.collect(upTo: 1 << 20)
        guard let notifications = try? Self.graphDecoder.decode(GraphNotifications.self, from: body.readableBytesView) else {
            throw Problem.malformedJSON("The body is not a Graph notification collection.")
        }
        for item in notifications.value {
            guard let subscriptionID = item.subscriptionId, !subscriptionID.isEmpty, subscriptionID.count <= 256,
                  let channel = try await database.withConnection({ try await PushChannelRepository.channel(subscriptionID, in: $0) }),
                  channel.provider == .microsoft else {
                metrics.webhook(.microsoft, outcome: "unknown_channel")
                continue
            }
            guard let clientState = item.clientState, CredentialVault.matches(clientState, digest: channel.tokenHash) else {
                metrics.webhook(.microsoft, outcome: "bad_token")
                logger.warning("Graph notification with a wrong clientState", metadata: ["subscription": "\(subscriptionID)"])
                continue
            }
            switch item.lifecycleEvent {
            case nil, "missed":
                metrics.webhook(.microsoft, outcome: "accepted")
                await requestSync(channel.integrationID, dueSince: received)
            case "reauthorizationRequired":
                metrics.webhook(.microsoft, outcome: "lifecycle")
                workflow.renew(channel, recreate: false)
                await requestSync(channel.integrationID, dueSince: received)
            case "subscriptionRemoved":
                metrics.webhook(.microsoft, outcome: "lifecycle")
                workflow.renew(channel, recreate: true)
                await requestSync(channel.integrationID, dueSince: received)
            default:
                metrics.webhook(.microsoft, outcome: "ignored")
            }
        }
        return Response(status: .accepted)
    }

    /// Pushes that arrive before the sync starts share it; one that arrives while it runs makes it
    /// run once more. (When another instance holds the lease, the syncer leaves a request for it.)
    private func requestSync(_ integration: UUID, dueSince: Date) async {
        await coordinator.request(integration, dueSince: dueSince)
    }
}

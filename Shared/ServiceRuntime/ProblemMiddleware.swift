import Hummingbird
import Logging
import Postgres

/// Turns every error thrown below it into the contract's problem JSON.
///
/// Domain code throws `Problem`s; database errors map by category (a unique violation is a
/// `409 conflict`, a lost dependency a `503`); Hummingbird's own errors keep their status. Only
/// an unexpected error is a 500, and it is logged with its detail while the client sees none.
package struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    package init() {}

    package func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            return try Self.problem(for: error, logger: context.logger).response(from: request, context: context)
        }
    }

    /// The problem a client sees for `error`.
    package static func problem(for error: any Error, logger: Logger) -> Problem {
        switch error {
        case let problem as Problem:
            return problem
        case let error as HTTPError:
            return problem(for: error)
        case let error as PostgresError:
            switch error.kind {
            case .uniqueViolation:
                return .conflict("A resource with the same unique value already exists.")
            case .connectionFailed, .connectionLost, .poolTimeout, .shutdown, .timeout:
                logger.warning("database unavailable", metadata: ["error": "\(String(reflecting: error))"])
                return .unavailable()
            default:
                logger.error("unexpected database error", metadata: ["error": "\(String(reflecting: error))"])
                return internalError
            }
        case is DependencyUnavailable:
            logger.warning("dependency unavailable", metadata: ["error": "\(String(reflecting: error))"])
            return .unavailable()
        default:
            logger.error("unexpected error", metadata: ["error": "\(String(reflecting: error))"])
            return internalError
        }
    }

    private static func problem(for error: HTTPError) -> Problem {
        switch error.status {
        case .notFound:
            return .notFound("No route for this path.")
        case .methodNotAllowed:
            return Problem(status: .methodNotAllowed, code: "not_found", detail: "This method is not allowed on this path.")
        case .contentTooLarge:
            return Problem(status: .contentTooLarge, code: "payload_too_large", detail: "The request body is too large.")
        case .badRequest:
            return .malformedJSON(error.body ?? "The request is malformed.")
        case .unauthorized:
            return .unauthorized()
        default:
            let code = error.status.code < 500 ? "validation_failed" : "unavailable"
            return Problem(status: error.status, code: code, detail: error.body ?? error.status.reasonPhrase)
        }
    }

    private static var internalError: Problem {
        Problem(status: .internalServerError, code: "internal", detail: "An unexpected error occurred.")
    }
}

/// A dependency (a database, a cache, a broker) did not answer; the client gets a `503`.
package struct DependencyUnavailable: Error, Sendable, CustomStringConvertible {
    /// Which dependency, e.g. `redis`.
    package var dependency: String
    package var underlying: String

    package init(dependency: String, underlying: any Error) {
        self.dependency = dependency
        self.underlying = String(reflecting: underlying)
    }

    package var description: String { "DependencyUnavailable(\(dependency))" }
}

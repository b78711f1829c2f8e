import Foundation
import Hummingbird
import Logging
import Postgres
import SchedulingCore
import ServiceRuntime

/// `POST /api/users`, `POST /api/auth/login`, `GET` and `PATCH /api/users/me`.
struct AccountController: Sendable {
    let database: Database
    let users: UserRepository
    let passwords: PasswordHasher
    let tokens: AccessTokens
    let invalidation: AvailabilityInvalidation

    struct RegisterRequest: Decodable {
        var email: String
        var password: String
        var name: String
        var timeZone: String
        var slug: String?
    }

    struct LoginRequest: Decodable {
        var email: String
        var password: String
    }

    struct UpdateRequest: Decodable {
        var name: String?
        var timeZone: String?
        /// The host's booking-link slug (`/{slug}`): changing it changes every link.
        var slug: String?
    }

    struct LoginResponse: ResponseEncodable {
        var accessToken: String
        var tokenType = "Bearer"
        var expiresIn: Int
        var user: User
    }

    /// Passwords longer than this are refused: bcrypt reads only the first 72 bytes.
    static let maximumPasswordBytes = 72

    func register(on router: Router<ServiceRequestContext>) {
        router.post("/api/users") { request, context in try await create(request, context) }
        router.post("/api/auth/login") { request, context in try await login(request, context) }
        router.get("/api/users/me") { _, context in try await me(context) }
        router.patch("/api/users/me") { request, context in try await update(request, context) }
    }

    func create(_ request: Request, _ context: ServiceRequestContext) async throws -> EditedResponse<User> {
        let body = try await request.decodeContract(RegisterRequest.self, context: context)
        let email = body.email.trimmingCharacters(in: .whitespaces)
        let name = body.name.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FieldErrors()
        errors.check(Self.isPlausibleEmail(email), "email", "must be an email address")
        errors.check(body.password.count >= 8, "password", "must be at least 8 characters")
        errors.check(body.password.utf8.count <= Self.maximumPasswordBytes, "password", "must be at most 72 bytes")
        errors.check(!name.isEmpty && name.count <= 200, "name", "must be 1 to 200 characters")
        errors.check(NamedTimeZone(body.timeZone) != nil, "time_zone", NamedTimeZone.invalidMessage)
        if let slug = body.slug {
            errors.check(Slug.isValidForHost(slug), "slug", Self.slugMessage)
        }
        try errors.throwIfAny()

        let hash = try await passwords.hash(body.password)
        let base = body.slug ?? Slug.derived(from: name)
        // A derived slug that is taken gets a short random suffix; a chosen one that is taken is a 409.
        for attempt in 0..<6 {
            let slug = attempt == 0 ? base : "\(base.prefix(Slug.maximumLength - 7))-\(Self.suffix())"
            let user = User(id: UUID(), email: email, name: name, timeZone: body.timeZone, slug: slug, createdAt: Date())
            do {
                let created = try await database.primary.withConnection { session in
                    try await users.insert(user, passwordHash: hash, in: session)
                }
                context.logger.info("user registered", metadata: ["host.id": "\(created.id.uuidString.lowercased())"])
                return EditedResponse(status: .created, response: created)
            } catch UserRepository.Duplicate.email {
                throw Problem.conflict("An account with this email already exists.")
            } catch UserRepository.Duplicate.slug where body.slug == nil {
                continue
            } catch UserRepository.Duplicate.slug {
                throw Problem.conflict("This slug is already taken.")
            }
        }
        throw Problem.conflict("Could not find a free slug for this name; choose one.")
    }

    func login(_ request: Request, _ context: ServiceRequestContext) async throws -> LoginResponse {
        let body = try await request.decodeContract(LoginRequest.self, context: context)
        let email = body.email.trimmingCharacters(in: .whitespaces)
        let stored = try await database.primary.withConnection { session in
            try await users.credentials(email: email, in: session)
        }
        let matches: Bool
        if let stored, body.password.utf8.count <= Self.maximumPasswordBytes {
            matches = try await passwords.verify(body.password, against: stored.passwordHash)
        } else {
            matches = try await passwords.verifyWithoutAccount(body.password)
        }
        guard matches, let stored else {
            context.logger.info("login refused")
            throw Problem.unauthorized("The email or the password is wrong.")
        }
        let token = try await tokens.issue(for: stored.user.id)
        return LoginResponse(accessToken: token, expiresIn: Int(tokens.lifetime.components.seconds), user: stored.user)
    }

    func me(_ context: ServiceRequestContext) async throws -> User {
        let host = try context.requireHost()
        guard let user = try await database.primary.withConnection({ try await users.user(id: host, in: $0) }) else {
            throw Problem.unauthorized("The account of this token no longer exists.")
        }
        return user
    }

    func update(_ request: Request, _ context: ServiceRequestContext) async throws -> User {
        let host = try context.requireHost()
        let body = try await request.decodeContract(UpdateRequest.self, context: context)
        let name = body.name?.trimmingCharacters(in: .whitespacesAndNewlines)
        var errors = FieldErrors()
        if let name {
            errors.check(!name.isEmpty && name.count <= 200, "name", "must be 1 to 200 characters")
        }
        if let zone = body.timeZone {
            errors.check(NamedTimeZone(zone) != nil, "time_zone", NamedTimeZone.invalidMessage)
        }
        if let slug = body.slug {
            errors.check(Slug.isValidForHost(slug), "slug", Self.slugMessage)
        }
        try errors.throwIfAny()

        let (user, zoneChanged) = try await database.primary.withTransaction { session -> (User, Bool) in
            guard let current = try await users.lock(id: host, in: session) else {
                throw Problem.unauthorized("The account of this token no longer exists.")
            }
            let newZone = body.timeZone ?? current.timeZone
            let updated: User?
            do {
                updated = try await users.update(id: host, name: name ?? current.name, timeZone: newZone, slug: body.slug ?? current.slug, in: session)
            } catch UserRepository.Duplicate.slug {
                throw Problem.conflict("This slug is already taken.")
            }
            guard let updated else {
                throw Problem.unauthorized("The account of this token no longer exists.")
            }
            // The weekly rules stay wall-clock times: only their mapping to instants moves with the zone.
            let zoneChanged = newZone != current.timeZone
            if zoneChanged {
                try await invalidation.record(host: host, reason: .profile, requestID: context.requestID, in: session)
            }
            return (updated, zoneChanged)
        }
        if zoneChanged {
            await invalidation.invalidate(host: host, logger: context.logger)
        }
        return user
    }

    static let slugMessage = "must be 1 to 64 characters of a-z, 0-9 and -, and not api, assets, host or bookings"

    /// A light check (one `@`, something either side, no spaces); the address is proven only by mail.
    static func isPlausibleEmail(_ email: String) -> Bool {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        return parts.count == 2 && !parts[0].isEmpty && parts[1].contains(".") && !parts[1].hasPrefix(".")
            && !parts[1].hasSuffix(".") && email.utf8.count <= 254 && !email.contains(where: \.isWhitespace)
    }

    private static func suffix() -> String {
        String(UInt32.random(in: 0...UInt32.max) & 0xFFFFFF, radix: 16).leftPadded(to: 6)
    }
}

extension String {
    /// The string with leading zeros up to `width` characters.
    fileprivate func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}

import ContractJSON
import Foundation
import Logging
import Postgres
import ScheduleStore
import SchedulingCore
import ServiceRuntime

/// Creates, cancels and reschedules bookings through the five protection layers:
/// 1. the idempotency key, 2. the host's Redis lock, 3. `SELECT … FOR UPDATE` on the host row,
/// 4. the engine's "is this an offered slot?" inside the transaction, 5. the exclusion constraint.
struct BookingWorkflow: Sendable {
    /// What `create` answered.
    enum CreateOutcome: Sendable {
        case created(BookingResponse, body: [UInt8])
        case replayed(status: Int, body: [UInt8])
    }

    let database: Database
    let lock: HostLock
    let idempotency: IdempotencyStore
    let events: BookingEvents
    let cache: AvailabilityCache
    let metrics: BookingMetrics
    let logger: Logger
    let now: @Sendable () -> Date
    let schedules = ScheduleRepository()
    let bookings = BookingRepository()
    let meetingTypes: MeetingTypeDirectory

    // MARK: Create

    func create(_ request: CreateBookingRequest, idempotencyKey: String?, requestHash: [UInt8], requestID: String) async throws -> CreateOutcome {
        let started = ContinuousClock.now
        if let idempotencyKey {
            switch try await idempotency.claim(idempotencyKey, requestHash: requestHash, db: database.primary) {
            case .claimed:
                break
            case .replay(let status, let body):
                metrics.operation("create", "replayed")
                return .replayed(status: status, body: body)
            case .mismatch:
                metrics.operation("create", "idempotency_mismatch")
                throw Problem(status: .unprocessableContent, code: "idempotency_mismatch",
                              detail: "This Idempotency-Key was used with a different request body.")
            case .inProgress:
                metrics.operation("create", "idempotency_in_progress")
                throw Problem(status: .conflict, code: "idempotency_in_progress",
                              detail: "A request with this Idempotency-Key is still being processed.",
                              headers: [.retryAfter: "1"])
            }
        }
        do {
            let (response, body) = try await book(request, idempotencyKey: idempotencyKey, requestHash: requestHash, requestID: requestID)
            metrics.operation("create", "success")
            metrics.creationDuration(started.duration(to: .now))
            return .created(response, body: body)
        } catch {
            metrics.operation("create", Self.statusLabel(error))
            // Nothing was committed, so the key is free again; only an unknown commit outcome
            // (the connection died during COMMIT) keeps the claim until it times out.
            if let idempotencyKey, (error as? PostgresError)?.kind != .connectionLost {
                await idempotency.release(idempotencyKey, db: database.primary)
            }
            throw error
        }
    }

    private func book(_ request: CreateBookingRequest, idempotencyKey: String?, requestHash: [UInt8], requestID: String) async throws -> (BookingResponse, [UInt8]) {
        guard let type = try await meetingTypes.lookup(request.meetingTypeID, schedules: schedules, database: database.primary), type.isActive else {
            throw Problem.validation(field: "meeting_type_id", "must be an existing, active meeting type")
        }
        let hostID = type.hostID
        let lockToken = await lock.acquire(host: hostID)
        let committed: (BookingResponse, [UInt8], [UInt8]?)
        do {
            committed = try await database.primary.withTransaction { tx in
                guard try await bookings.lockHost(hostID, in: tx) else { throw Problem.slotUnavailable }
                let end = request.startTime.addingTimeInterval(Double(type.durationMinutes * 60))
                guard let inputs = try await schedules.inputs(meetingTypeID: request.meetingTypeID, around: request.startTime..<end, in: tx),
                      inputs.meetingType.isActive
                else {
                    meetingTypes.forget(request.meetingTypeID)
                    throw Problem.validation(field: "meeting_type_id", "must be an existing, active meeting type")
                }
                try checkOffered(request.startTime, inputs: inputs, excluding: nil)
                let current = inputs.meetingType
                let token = try CancelToken.make()
                let booking = try await bookings.insert(Booking(
                    id: UUID(), status: .confirmed, meetingTypeID: current.id, hostUserID: hostID,
                    startTime: request.startTime,
                    endTime: request.startTime.addingTimeInterval(Double(current.durationMinutes * 60)),
                    bufferBeforeMinutes: current.bufferBeforeMinutes, bufferAfterMinutes: current.bufferAfterMinutes,
                    inviteeName: request.inviteeName, inviteeEmail: request.inviteeEmail,
                    inviteeTimezone: request.inviteeTimezone, answers: request.answers, version: 1,
                    rescheduledFrom: nil, createdAt: now(), cancelTokenHash: token.hash
                ), event: { try events.created($0, cancelToken: token.text, requestID: requestID) }, in: tx)
                let response = BookingResponse(booking, cancelToken: token.text)
                let body = try ContractJSONEncoder.contract.encode(response)
                let sealed = try await idempotencyKey.asyncMap {
                    try await idempotency.complete($0, bookingID: booking.id, status: 201, body: body, in: tx)
                }
                return (response, body, sealed)
            }
        } catch let error as PostgresError where error.kind == .exclusionViolation || error.kind == .uniqueViolation {
            await lock.release(host: hostID, token: lockToken)
            metrics.doubleBookingPrevented(layer: "constraint")
            throw Problem.slotUnavailable
        } catch {
            await lock.release(host: hostID, token: lockToken)
            throw error
        }
        // One Redis call releases the lock and bumps the host's availability generation.
        await lock.releaseAndInvalidate(host: hostID, token: lockToken, generationKey: SlotCacheKeys.generation(host: hostID))
        let (response, body, sealed) = committed
        if let idempotencyKey, let sealed {
            await idempotency.storeHotCopy(idempotencyKey, hash: requestHash, status: 201, sealed: sealed)
        }
        logger.info("booking created", metadata: ["booking.id": "\(response.id.uuidString.lowercased())", "host.id": "\(hostID.uuidString.lowercased())"])
        return (response, body)
    }

    /// Layer 4: the start must be an offered slot now; a start that only another booking blocks
    /// counts as a prevented double booking.
    private func checkOffered(_ start: Date, inputs: SchedulingInputs, excluding: UUID?) throws {
        let at = now()
        guard inputs.generator(excludingBooking: excluding).isOfferedSlot(start: start, now: at) else {
            var free = inputs
            free.bookings = []
            if free.generator().isOfferedSlot(start: start, now: at) {
                metrics.doubleBookingPrevented(layer: "availability_check")
            }
            throw Problem.slotUnavailable
        }
    }

    // MARK: Read

    func find(_ id: UUID, access: BookingAccess) async throws -> Booking {
        let booking = try await database.primary.withConnection { try await bookings.find(id, in: $0) }
        guard let booking, access.mayRead(booking) else { throw Problem.bookingNotFound }
        return booking
    }

    // MARK: Cancel

    func cancel(_ id: UUID, access: BookingAccess, reason: String?, requestID: String) async throws -> Booking {
        let booking: Booking
        let changed: Bool
        do {
            (booking, changed) = try await cancelling(id, access: access, reason: reason, requestID: requestID)
        } catch {
            metrics.operation("cancel", Self.statusLabel(error))
            throw error
        }
        metrics.operation("cancel", changed ? "success" : "noop")
        if changed {
            await cache.invalidate(host: booking.hostUserID)
            logger.info("booking cancelled", metadata: ["booking.id": "\(id.uuidString.lowercased())"])
        }
        return booking
    }

    private func cancelling(_ id: UUID, access: BookingAccess, reason: String?, requestID: String) async throws -> (Booking, Bool) {
        try await database.primary.withTransaction { tx -> (Booking, Bool) in
            guard let booking = try await bookings.find(id, in: tx, forUpdate: true), access.mayManage(booking) else {
                throw Problem.bookingNotFound
            }
            // Cancelling twice is a no-op; a booking moved elsewhere can no longer be cancelled.
            if booking.status == .cancelled { return (booking, false) }
            guard booking.status == .confirmed else { throw Problem.versionConflict }
            let cancelled = try await bookings.cancel(id, reason: reason, in: tx)
            try await events.cancelled(cancelled, reason: reason, by: access.actor, requestID: requestID, in: tx)
            return (cancelled, true)
        }
    }

    // MARK: Reschedule

    func reschedule(_ id: UUID, access: BookingAccess, to start: Date, expectedVersion: Int, requestID: String) async throws -> BookingResponse {
        do {
            let response = try await moveBooking(id, access: access, to: start, expectedVersion: expectedVersion, requestID: requestID)
            metrics.operation("reschedule", "success")
            return response
        } catch {
            metrics.operation("reschedule", Self.statusLabel(error))
            throw error
        }
    }

    private func moveBooking(_ id: UUID, access: BookingAccess, to start: Date, expectedVersion: Int, requestID: String) async throws -> BookingResponse {
        let current = try await find(id, access: access)
        guard access.mayManage(current) else { throw Problem.bookingNotFound }
        // Cancelled or already moved: no longer what the client may change, whatever version it sent.
        guard current.version == expectedVersion, current.status == .confirmed else { throw Problem.versionConflict }

        let lockToken = await lock.acquire(host: current.hostUserID)
        let response: BookingResponse
        do {
            response = try await database.primary.withTransaction { tx in
                _ = try await bookings.lockHost(current.hostUserID, in: tx)
                guard let old = try await bookings.find(id, in: tx, forUpdate: true), access.mayManage(old) else {
                    throw Problem.bookingNotFound
                }
                guard old.version == expectedVersion, old.status == .confirmed else { throw Problem.versionConflict }
                guard let inputs = try await schedules.inputs(meetingTypeID: old.meetingTypeID, around: start..<start.addingTimeInterval(86_400), in: tx),
                      inputs.meetingType.isActive
                else { throw Problem.slotUnavailable }
                // The booking being moved neither blocks its own new time nor counts against the cap.
                try checkOffered(start, inputs: inputs, excluding: old.id)
                guard let previous = try await bookings.markRescheduled(old.id, expectedVersion: expectedVersion, in: tx) else {
                    throw Problem.versionConflict
                }
                let type = inputs.meetingType
                let token = try CancelToken.make()
                let moved = try await bookings.insert(Booking(
                    id: UUID(), status: .confirmed, meetingTypeID: type.id, hostUserID: old.hostUserID, startTime: start,
                    endTime: start.addingTimeInterval(Double(type.durationMinutes * 60)),
                    bufferBeforeMinutes: type.bufferBeforeMinutes, bufferAfterMinutes: type.bufferAfterMinutes,
                    inviteeName: old.inviteeName, inviteeEmail: old.inviteeEmail, inviteeTimezone: old.inviteeTimezone,
                    answers: old.answers, version: 1, rescheduledFrom: old.id, createdAt: now(), cancelTokenHash: token.hash
                ), in: tx)
                try await events.rescheduled(from: previous, to: moved, cancelToken: token.text, requestID: requestID, in: tx)
                return BookingResponse(moved, cancelToken: token.text)
            }
        } catch let error as PostgresError where error.kind == .exclusionViolation || error.kind == .uniqueViolation {
            await lock.release(host: current.hostUserID, token: lockToken)
            metrics.doubleBookingPrevented(layer: "constraint")
            throw Problem.slotUnavailable
        } catch {
            await lock.release(host: current.hostUserID, token: lockToken)
            throw error
        }
        await lock.release(host: current.hostUserID, token: lockToken)
        await cache.invalidate(host: current.hostUserID)
        logger.info("booking rescheduled", metadata: ["booking.id": "\(id.uuidString.lowercased())", "booking.new_id": "\(response.id.uuidString.lowercased())"])
        return response
    }

    // MARK: List

    func list(
        host: UUID, status: Booking.Status?, from: Date?, to: Date?, after cursor: (Date, UUID)?, newestFirst: Bool, limit: Int
    ) async throws -> [Booking] {
        try await bookings.list(host: host, status: status, from: from, to: to, after: cursor, newestFirst: newestFirst, limit: limit, in: database.primary)
    }

    /// The `status` label of an operation that threw.
    static func statusLabel(_ error: any Error) -> String {
        guard let problem = error as? Problem else { return "error" }
        return problem.code
    }
}

extension Optional {
    /// `map` with an async transform.
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        guard let self else { return nil }
        return try await transform(self)
    }
}

/// The connection pool's decisions, without I/O, clocks or continuations, so they can be tested alone.
///
/// Counts every connection that is idle, leased or being opened against `maximumConnections`.
/// A broken connection (or a failed connect) starts a new *generation*: idle connections of
/// older generations are closed at once and leased ones when they come back, because after a
/// server restart every one of them is dead and each would otherwise fail one more call.
struct RedisConnectionPoolState<Connection: AnyObject> {
    /// What a caller gets: an open connection, or the right to open one.
    enum Lease {
        /// Reuse this idle connection.
        case reuse(Connection)
        /// Open a new connection and tag it with this generation.
        case open(generation: Int)
    }

    /// The decision for a checkout.
    enum CheckoutAction {
        case lease(Lease)
        /// The caller was queued under its waiter id.
        case wait
        case fail(RedisError)
    }

    /// What the pool must do after a connection or slot comes back.
    struct Actions {
        /// Connections to close (drop).
        var close: [Connection] = []
        /// Waiters to resume, in order, with their lease.
        var handoffs: [(waiter: Int, lease: Lease)] = []
    }

    let maximumConnections: Int
    private(set) var generation = 0
    /// Idle connections of the current generation; used last-in first-out.
    private var idle: [Connection] = []
    /// Idle + leased + being opened.
    private(set) var openCount = 0
    /// Waiter ids in arrival order.
    private var waiters: [Int] = []
    private var isShutDown = false

    init(maximumConnections: Int) {
        precondition(maximumConnections > 0, "a Redis pool needs at least one connection")
        self.maximumConnections = maximumConnections
    }

    var idleCount: Int { self.idle.count }
    var waiterCount: Int { self.waiters.count }

    /// A caller wants a connection.
    mutating func checkout(waiter: Int) -> CheckoutAction {
        if self.isShutDown { return .fail(.clientShutdown) }
        if let connection = self.idle.popLast() { return .lease(.reuse(connection)) }
        if self.openCount < self.maximumConnections {
            self.openCount += 1
            return .lease(.open(generation: self.generation))
        }
        self.waiters.append(waiter)
        return .wait
    }

    /// A leased connection comes back; `broken` after an I/O, EOF, protocol or timeout error.
    mutating func release(_ connection: Connection, generation: Int, broken: Bool) -> Actions {
        var actions = Actions()
        if self.isShutDown {
            self.openCount -= 1
            actions.close.append(connection)
            return actions
        }
        if broken {
            self.openCount -= 1
            actions.close.append(connection)
            self.startNewGeneration(&actions)
        } else if generation < self.generation {
            self.openCount -= 1
            actions.close.append(connection)
        } else if let waiter = self.popWaiter() {
            actions.handoffs.append((waiter, .reuse(connection)))
            return actions
        } else {
            self.idle.append(connection)
            return actions
        }
        self.handOutFreeSlots(&actions)
        return actions
    }

    /// Opening a connection for a lease failed: the slot is free and the server is probably gone.
    mutating func openFailed() -> Actions {
        var actions = Actions()
        self.openCount -= 1
        if self.isShutDown { return actions }
        self.startNewGeneration(&actions)
        self.handOutFreeSlots(&actions)
        return actions
    }

    /// A lease to open a connection was never used (the work was cancelled before it ran).
    mutating func returnUnusedSlot() -> Actions {
        var actions = Actions()
        self.openCount -= 1
        if !self.isShutDown { self.handOutFreeSlots(&actions) }
        return actions
    }

    /// A waiter gave up (timeout or cancellation); `false` if it was already served.
    mutating func removeWaiter(_ waiter: Int) -> Bool {
        guard let index = self.waiters.firstIndex(of: waiter) else { return false }
        self.waiters.remove(at: index)
        return true
    }

    /// Stops the pool: idle connections to close and waiters to fail.
    mutating func shutdown() -> (close: [Connection], waiters: [Int]) {
        self.isShutDown = true
        let closing = self.idle
        self.openCount -= closing.count
        self.idle = []
        let waiting = self.waiters
        self.waiters = []
        return (closing, waiting)
    }

    private mutating func startNewGeneration(_ actions: inout Actions) {
        self.generation += 1
        self.openCount -= self.idle.count
        actions.close.append(contentsOf: self.idle)
        self.idle = []
    }

    private mutating func handOutFreeSlots(_ actions: inout Actions) {
        while self.openCount < self.maximumConnections, let waiter = self.popWaiter() {
            self.openCount += 1
            actions.handoffs.append((waiter, .open(generation: self.generation)))
        }
    }

    private mutating func popWaiter() -> Int? {
        self.waiters.isEmpty ? nil : self.waiters.removeFirst()
    }
}

extension RedisConnectionPoolState.Lease: Sendable where Connection: Sendable {}

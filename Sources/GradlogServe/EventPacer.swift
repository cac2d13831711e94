/// How a server-sent event stream hands out its events, shared by the run page's stream and the
/// runs page's: a poll every `interval` until one finds something, a comment line after
/// `keepAlive` of silence (it keeps proxies from closing a quiet stream and finds closed ones), and
/// the end after `lifetime`, when the browser reconnects from where it was.
struct EventPacer {
    var interval: Duration = .milliseconds(250)
    var keepAlive: Duration = .seconds(15)
    var lifetime: Duration = .seconds(1_800)
    /// Parts polled but not handed out yet, the first from `offset` on; first the reconnection delay
    /// the browser is to use. A part may be shared by every stream of a run (`RunFeed`): it is
    /// handed out by position, never copied whole or shifted.
    private var pending: [[UInt8]] = [Array("retry: 1000\n\n".utf8)]
    private var offset = 0
    private let clock = ContinuousClock()
    private var started: ContinuousClock.Instant?
    private var lastSent: ContinuousClock.Instant?

    /// The stream's pacing, with its intervals.
    init(interval: Duration, keepAlive: Duration, lifetime: Duration) {
        (self.interval, self.keepAlive, self.lifetime) = (interval, keepAlive, lifetime)
    }

    /// The next bytes to send, at most `count` (at least 1), calling `poll` for more as needed; nil
    /// once the lifetime is over or `poll` returns nil (the stream has ended).
    mutating func nextBuffer(suggested count: Int, poll: () throws -> String?) async throws -> [UInt8]? {
        try await nextBuffer(suggested: count) { try poll().map { [Array($0.utf8)] } }
    }

    /// As `nextBuffer(suggested:poll:)`, with the events `poll` returns in parts, sent in order.
    mutating func nextBuffer(suggested count: Int, parts poll: () throws -> [[UInt8]]?) async throws -> [UInt8]? {
        let start = started ?? clock.now
        started = start
        while pending.isEmpty {
            guard clock.now - start < lifetime, let parts = try poll() else { return nil }
            pending = parts.filter { !$0.isEmpty }
            offset = 0
            if pending.isEmpty {
                if clock.now - (lastSent ?? start) >= keepAlive { pending = [Array(": keep-alive\n\n".utf8)] }
                else { try await Task.sleep(for: interval) }
            }
        }
        lastSent = clock.now
        let part = pending[0]
        let end = Swift.min(part.count, offset + Swift.max(count, 1))
        let chunk = offset == 0 && end == part.count ? part : Array(part[offset..<end])
        if end == part.count {
            pending.removeFirst()
            offset = 0
        } else {
            offset = end
        }
        return chunk
    }
}

import FlyingSocks
import Output
import SQLiteDB
import Tracker

/// The runs page live, as server-sent events (`/events?after=ID&run=ID...` with the page's filter):
/// the runs added after the page's last id that pass its filter, and the rows of the running runs it
/// shows whenever they move, until they end.
///
/// Every `interval` the stream reads, by the key of `runs`, the rows after the last id it has sent
/// (`id > ?`, a range of the primary key) and the progress of the runs it follows (`id IN (...)`);
/// only a run whose status, step, epoch or heartbeat moved is read again in full. It never reads the
/// whole table. Events: `run` (`{"id", "new", "leaves", "status", "cells": {column: text}, "numeric":
/// [column...], "tags": [[key, value]...]}`), for a new run with the id `ID` that a reconnecting
/// browser sends back as Last-Event-ID, for a followed one whenever it moved (`leaves` when it no
/// longer passes the page's filter: its row leaves the page and the count).
struct RunsEventStream: AsyncBufferedSequence, Sendable {
    typealias Element = UInt8

    let store: SharedStore
    /// The runs shown: which new ones qualify.
    let filter: RunFilter
    /// The last run id the page knows of.
    let after: Int64
    /// The running runs on the page.
    let following: [Int64]
    var interval: Duration = .milliseconds(250)
    /// A comment line this often keeps proxies from closing a quiet stream (and finds closed ones).
    var keepAlive: Duration = .seconds(15)
    /// The stream ends after this long; the browser reconnects from where it was.
    var lifetime: Duration = .seconds(1_800)

    /// The most runs a page follows, and the most new runs one poll sends.
    static let followLimit = 200
    static let batchLimit = 100

    /// The stream of `/events`, its query checked: the page's filter, `after` and up to `followLimit` `run`s.
    init(store: SharedStore, pairs: [(name: String, value: String)], lastEventID: String?) throws(QueryString.Invalid) {
        var after: Int64?, following: [Int64] = [], rest: [(name: String, value: String)] = []
        for (key, value) in pairs {
            switch key {
            case "after":
                guard after == nil else { throw .init(reason: "'after' is given twice") }
                guard let number = QueryString.number(value, max: Int64.max) else { throw .init(reason: "after must be a run id or 0") }
                after = number
            case "run":
                guard let id = QueryString.number(value, max: Int64.max), id > 0 else { throw .init(reason: "run must be a run id") }
                guard following.count < Self.followLimit else { throw .init(reason: "at most \(Self.followLimit) runs") }
                following.append(id)
            case "sort", "order", "page":
                throw .init(reason: "unknown parameter '\(key)'")
            default:
                rest.append((key, value))
            }
        }
        if let lastEventID {
            guard let last = QueryString.number(lastEventID, max: Int64.max) else { throw .init(reason: "Last-Event-ID must be a run id") }
            after = Swift.max(after ?? 0, last)
        }
        self.store = store
        filter = try RunsPage.Query(rest).matching
        self.after = after ?? 0
        self.following = following
    }

    func makeAsyncIterator() -> Iterator {
        Iterator(stream: self, after: after, following: Set(following))
    }

    /// Reads the stream: polls, and hands out the events of each poll that found something.
    struct Iterator: AsyncBufferedIteratorProtocol {
        let stream: RunsEventStream
        var poller: RunsPoller
        var pacer: EventPacer

        init(stream: RunsEventStream, after: Int64, following: Set<Int64>) {
            self.stream = stream
            poller = RunsPoller(filter: stream.filter, after: after, following: following)
            pacer = EventPacer(interval: stream.interval, keepAlive: stream.keepAlive, lifetime: stream.lifetime)
        }

        mutating func next() async throws -> UInt8? {
            guard let buffer = try await nextBuffer(suggested: 1) else { return nil }
            return buffer.first
        }

        mutating func nextBuffer(suggested count: Int) async throws -> [UInt8]? {
            var (pacer, poller) = (self.pacer, self.poller)
            defer { (self.pacer, self.poller) = (pacer, poller) }
            let store = stream.store
            return try await pacer.nextBuffer(suggested: count) { try store.read { catalog throws in try poller.poll(catalog) } }
        }
    }
}

/// What the run page's address asks for: the page of the epoch table, and a range of epochs that
/// the charts are drawn over (a zoom without JavaScript: `?from=A&to=B`).
struct RunQuery: Equatable, Sendable {
    /// The largest epoch (or step) a range may name: far beyond any run, small enough that the
    /// chart's arithmetic on it stays exact in a Double.
    static let maxX: Int64 = 1_000_000_000_000

    /// The page of the epoch table, from 1.
    var page = 1
    /// The epochs the charts show, nil for the whole run.
    var window: ClosedRange<Int64>?

    /// The query of `pairs`: `page`, `from`, `to` and the token only, each at most once; `from` and
    /// `to` whole numbers from 0 to `maxX`, `from` not after `to`; a missing end is the run's.
    init(_ pairs: [(name: String, value: String)]) throws(QueryString.Invalid) {
        var page: Int64?
        let (from, to) = try Self.range(pairs, allowing: ["page", "token"]) { key, value throws(QueryString.Invalid) in
            guard key == "page" else { return }
            guard page == nil, let number = QueryString.number(value, max: 100_000_000), number >= 1 else {
                throw .init(reason: "page must be given once, a whole number from 1")
            }
            page = number
        }
        self.page = Int(page ?? 1)
        if from != nil || to != nil { window = (from ?? 0)...(to ?? Self.maxX) }
    }

    /// `from` and `to` of `pairs`, checked; any other name must be in `allowing`, and is handed to `other`.
    static func range(_ pairs: [(name: String, value: String)], allowing: Set<String>,
                      other: (String, String) throws(QueryString.Invalid) -> Void) throws(QueryString.Invalid) -> (Int64?, Int64?) {
        var from: Int64?, to: Int64?
        for (key, value) in pairs {
            switch key {
            case "from", "to":
                // An empty field of the range form (sent without the script) leaves that end to the run.
                if value.isEmpty { continue }
                guard let number = QueryString.number(value, max: maxX) else {
                    throw .init(reason: "\(key) must be a whole number from 0 to \(maxX)")
                }
                guard (key == "from" ? from : to) == nil else { throw .init(reason: "'\(key)' is given twice") }
                if key == "from" { from = number } else { to = number }
            case let name where allowing.contains(name):
                try other(key, value)
            default:
                throw .init(reason: "unknown parameter '\(key)'")
            }
        }
        if let from, let to, from > to { throw .init(reason: "from (\(from)) must not be after to (\(to))") }
        return (from, to)
    }
}

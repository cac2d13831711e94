import HTMLPages
import Tracker

/// The compare page: the comparison table, overlaid charts and summaries of `report --html` for
/// several runs (`?run=3&run=5`), each run linked to its own page; with a tag (`?tag=sweep=ID` as
/// `gradlog compare --tag` takes it) the sweep's page (`SweepPage`): its trials, sortable, and charts.
struct ComparePage {
    /// The fewest and the most runs one page compares, and the most runs named by id.
    static let runLimits = 2...24
    /// The most runs a page with a tag shows (a sweep's trials).
    static let taggedLimit = 1_000

    /// The runs and tags the query names, each checked, in the order given.
    struct Query: Equatable {
        var runIDs: [Int64] = []
        var tags: [String] = []
        /// The column of a sweep's trials table to sort by, checked against its columns when drawn.
        var sort: String?
        var descending = false
        /// How a sweep's charts show its trials: `best` or a setting that varies (`SweepPage.Drawing`).
        var group: String?

        init(_ pairs: [(name: String, value: String)]) throws(QueryString.Invalid) {
            for (key, value) in pairs {
                switch key {
                case "run":
                    guard let id = QueryString.number(value, max: Int64.max), id > 0 else {
                        throw .init(reason: "run must be a run id, a whole number from 1")
                    }
                    guard !runIDs.contains(id) else { throw .init(reason: "run \(id) is given twice") }
                    guard runIDs.count < ComparePage.runLimits.upperBound else {
                        throw .init(reason: "at most \(ComparePage.runLimits.upperBound) runs")
                    }
                    runIDs.append(id)
                case "tag":
                    guard let equals = value.firstIndex(of: "="), equals != value.startIndex, value.count <= 200 else {
                        throw .init(reason: "tag must be key=value")
                    }
                    guard !tags.contains(value) else { throw .init(reason: "tag \(value) is given twice") }
                    guard tags.count < 8 else { throw .init(reason: "at most 8 tags") }
                    tags.append(value)
                case "sort", "group":
                    guard !value.isEmpty, value.count <= 100 else { throw .init(reason: "\(key) must name a column of the trials") }
                    guard (key == "sort" ? sort : group) == nil else { throw .init(reason: "'\(key)' is given twice") }
                    if key == "sort" { sort = value } else { group = value }
                case "order":
                    guard value == "asc" || value == "desc" else { throw .init(reason: "order must be asc or desc") }
                    descending = value == "desc"
                case "token":
                    break
                default:
                    throw .init(reason: "unknown parameter '\(key)'")
                }
            }
            guard !tags.isEmpty || (sort == nil && group == nil) else { throw .init(reason: "sort and group are for a tag's runs (tag=KEY=VALUE)") }
            guard !tags.isEmpty || runIDs.count >= ComparePage.runLimits.lowerBound else {
                throw .init(reason: "compare needs at least \(ComparePage.runLimits.lowerBound) runs (run=ID&run=ID) or a tag (tag=KEY=VALUE)")
            }
        }

        /// The tags as key and value.
        var tagPairs: [(key: String, value: String)] {
            tags.map { tag in
                let equals = tag.firstIndex(of: "=") ?? tag.endIndex
                return (key: String(tag[..<equals]), value: String(tag[tag.index(after: equals)...]))
            }
        }
    }

    /// What the page answers: the page, or why it is refused.
    enum Outcome: Equatable {
        case page(String)
        /// A run the query names does not exist, or no run has the tags.
        case notFound(String)
        /// Too few or too many runs to compare.
        case invalid(String)
    }

    let query: Query

    /// The page of the runs the query names, then those with its tags, or why there is none.
    func render(_ catalog: RunCatalog) throws(TrackerError) -> Outcome {
        for id in query.runIDs where !(try catalog.exists(id)) { return .notFound("no run \(id)") }
        let ids: [Int64]
        do throws(TrackerError) {
            ids = try catalog.runIDs(query.runIDs, thenTagged: query.tagPairs)
        } catch {
            guard case .noRunWithTags(let tags) = error else { throw error }
            return .notFound("no run has the tag" + (tags.count == 1 ? " " : "s ") + tags.joined(separator: ", "))
        }
        let limit = query.tags.isEmpty ? Self.runLimits.upperBound : Self.taggedLimit
        guard (Self.runLimits.lowerBound...limit).contains(ids.count) else {
            return .invalid("compare takes \(Self.runLimits.lowerBound) to \(limit) runs; these are \(ids.count)")
        }
        if !query.tags.isEmpty {
            let named = query.runIDs.isEmpty ? "" : " and " + query.runIDs.map { "run \($0)" }.joined(separator: ", ")
            let title = "gradlog: \(ids.count) runs with " + query.tags.joined(separator: ", ") + named
            return try SweepPage(ids: ids, query: query).render(catalog, title: title)
        }
        let links = "<p>Each run's page: " + ids.map { "<a href=\"/runs/\($0)\">run \($0)</a>" }.joined(separator: ", ") + ".</p>\n"
        let body = try links + HTMLReport(store: catalog.store, ids: ids).severalRuns(catalog, runLink: { "/runs/\($0)" })
        return .page(PageFrame.page(title: "gradlog: runs " + ids.map(String.init).joined(separator: ", "), body: body, script: false))
    }
}

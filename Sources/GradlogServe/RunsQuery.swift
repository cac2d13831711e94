import Tracker

extension RunsPage {
    /// The filter, the order and the page the query asks for, each checked against a fixed list.
    struct Query: Equatable {
        var status: String?
        var tags: [String] = []
        var name: String?
        /// Free text looked for in the name, note, dataset and tags (`RunFilter.text`).
        var text: String?
        var sort = RunFilter.SortKey.id
        var descending = false
        var page = 1

        /// The longest name, tag or text a query may give.
        static let textLimit = 200

        init(_ pairs: [(name: String, value: String)]) throws(QueryString.Invalid) {
            var seen: Set<String> = []
            for (key, value) in pairs {
                guard key == "tag" || seen.insert(key).inserted else { throw .init(reason: "'\(key)' is given twice") }
                try read(key, value)
            }
        }

        /// Reads one parameter.
        private mutating func read(_ key: String, _ value: String) throws(QueryString.Invalid) {
            switch key {
            case "status":
                guard value.isEmpty || RunStatus(rawValue: value) != nil else {
                    throw .init(reason: "status must be one of " + RunStatus.allCases.map(\.rawValue).joined(separator: ", "))
                }
                status = value.isEmpty ? nil : value
            case "tag":
                guard value.isEmpty || (value.contains("=") && value.count <= Self.textLimit) else { throw .init(reason: "tag must be key=value") }
                guard tags.count < 8 else { throw .init(reason: "at most 8 tags") }
                if !value.isEmpty { tags.append(value) }
            case "name", "text":
                guard value.count <= Self.textLimit else { throw .init(reason: "\(key) is longer than \(Self.textLimit) characters") }
                if key == "name" { name = value.isEmpty ? nil : value } else { text = value.isEmpty ? nil : value }
            case "sort":
                guard let key = RunFilter.SortKey(rawValue: value) else {
                    throw .init(reason: "sort must be one of " + RunsPage.sortKeys.joined(separator: ", "))
                }
                sort = key
            case "order":
                guard value == "asc" || value == "desc" else { throw .init(reason: "order must be asc or desc") }
                descending = value == "desc"
            case "page":
                guard let number = QueryString.number(value, max: 1_000_000), number >= 1 else {
                    throw .init(reason: "page must be a whole number from 1")
                }
                page = Int(number)
            case "token":
                break
            default:
                throw .init(reason: "unknown parameter '\(key)'")
            }
        }

        /// The Tracker filter of this query: which runs, in which order (without a page).
        var matching: RunFilter {
            var filter = RunFilter()
            filter.status = status
            filter.name = name
            filter.text = text
            filter.tags = tags.map { tag in
                let equals = tag.firstIndex(of: "=") ?? tag.endIndex
                return (key: String(tag[..<equals]), value: String(tag[tag.index(after: equals)...]))
            }
            filter.sort = sort
            filter.descending = descending
            return filter
        }

        /// The Tracker filter of this query, for one page.
        var filter: RunFilter {
            var filter = matching
            filter.limit = RunsPage.pageSize
            filter.offset = (page - 1) * RunsPage.pageSize
            return filter
        }

        /// The filter's own pairs (status, tags, name, text), as links and the event stream repeat them.
        var filterPairs: [(String, String)] {
            var pairs: [(String, String)] = []
            if let status { pairs.append(("status", status)) }
            for tag in tags { pairs.append(("tag", tag)) }
            if let name { pairs.append(("name", name)) }
            if let text { pairs.append(("text", text)) }
            return pairs
        }

        /// The query string of this filter with another sort, order or page (for links).
        func link(sort: RunFilter.SortKey? = nil, descending: Bool? = nil, page: Int? = nil) -> String {
            var pairs = filterPairs
            let sort = sort ?? self.sort, descending = descending ?? self.descending, page = page ?? self.page
            if sort != .id { pairs.append(("sort", sort.rawValue)) }
            if descending { pairs.append(("order", "desc")) }
            if page != 1 { pairs.append(("page", String(page))) }
            return "/" + Self.joined(pairs)
        }

        /// `?a=1&b=2` with each value encoded, or nothing for no pairs.
        static func joined(_ pairs: [(String, String)]) -> String {
            pairs.isEmpty ? "" : "?" + pairs.map { "\($0.0)=\(QueryString.encode($0.1))" }.joined(separator: "&")
        }

        /// Whether a new run's place is known on this page: ordered by id, on the page where the newest go.
        func insertsNewRuns(pages: Int) -> Bool {
            sort == .id && (descending ? page == 1 : page == pages)
        }
    }
}

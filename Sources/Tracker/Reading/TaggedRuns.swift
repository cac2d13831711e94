extension RunCatalog {
    /// `ids`, then the runs with all of `tags` not among them (a sweep's `sweep=ID`), each once, in the
    /// order of the settings they differ in (a sweep's trials finish in any order; its legend and table
    /// go 0.1, 0.2, ...); a tag that no run has is an error, as a run reference that names none is.
    public func runIDs(_ ids: [Int64], thenTagged tags: [(key: String, value: String)]) throws(TrackerError) -> [Int64] {
        guard !tags.isEmpty else { return ids }
        var filter = RunFilter()
        filter.tags = tags
        let matching = try runIDs(matching: filter)
        if matching.isEmpty { throw .noRunWithTags(tags.map { "\($0.key)=\($0.value)" }) }
        let tagged = matching.filter { !ids.contains($0) }
        let settings = try SettingValues(tagged, in: store)
        return ids + settings.groups(by: settings.differing).flatMap(\.runIDs)
    }
}

import Training

/// The names a run's parameters and metrics may take: each of their report columns must be new.
extension ExternalRun {
    /// Throws unless each metric name is allowed beside the run's parameters, `newParameters` and
    /// the metrics logged before, and the run's reports still have a column for each.
    func checkMetricNames(_ metrics: [(name: String, value: Double)], beside newParameters: [String]) throws(TrackerError) {
        var seen: Set<String> = []
        var newNames = 0
        let added = Set(newParameters)
        let isParameter = { (name: String) in self.indexOf[name] != nil || added.contains(name) }
        for (name, _) in metrics {
            guard ParameterName.isSafe(name), !Self.reservedNames.contains(name), !isParameter(name),
                  !Self.isColumn(name, of: isParameter), !isMeanColumn(name, besides: seen, isParameter: isParameter) else {
                throw .externalStep(.badMetricName(name))
            }
            guard seen.insert(name).inserted else { throw .externalStep(.duplicateMetric(name)) }
            if !metricNames.contains(name) { newNames += 1 }
        }
        let limit = Self.maxMetrics(parameterCount: names.count + newParameters.count)
        guard metricNames.count + newNames <= limit else { throw .externalStep(.tooManyMetrics(limit: limit)) }
    }

    /// Throws unless `added` are names the run's parameters may take beside its parameters and metrics.
    func checkNewNames(_ added: [String]) throws(TrackerError) {
        guard !added.isEmpty else { return }
        guard names.count + added.count <= Self.maxParameters else {
            throw .externalStep(.tooManyParameters(limit: Self.maxParameters))
        }
        var addedSet = Set<String>(minimumCapacity: added.count)
        for name in added {
            guard ParameterName.isSafe(name), !Self.reservedNames.contains(name), indexOf[name] == nil,
                  !metricNames.contains(name), addedSet.insert(name).inserted else {
                throw .externalStep(.badParameterName(name))
            }
        }
        // Each name's report columns must be new: `w` beside `w_analytic` would collide. Two names'
        // columns can only meet where one name is another's column, so one look-up per suffix does.
        let isParameter = { (name: String) in self.indexOf[name] != nil || addedSet.contains(name) }
        // A run's first names (up to a million) meet no earlier name: the look-ups of their columns
        // among those are skipped, not the check.
        let earlierNames = !indexOf.isEmpty || !metricNames.isEmpty
        for name in added {
            let clashes = Self.isColumn(name, of: isParameter)
                || earlierNames && Self.columnSuffixes.dropFirst().contains { indexOf[name + $0] != nil || metricNames.contains(name + $0) }
                || name.hasSuffix(Self.meanSuffix) && metricNames.contains(String(name.dropLast(Self.meanSuffix.count)))
            if clashes { throw .externalStep(.badParameterName(name)) }
        }
    }

    /// True when `name` is a report column (`p_analytic`, ...) of a parameter for which `isParameter` holds.
    static func isColumn(_ name: String, of isParameter: (String) -> Bool) -> Bool {
        columnSuffixes.dropFirst().contains { suffix in
            name.hasSuffix(suffix) && isParameter(String(name.dropLast(suffix.count)))
        }
    }

    /// True when `name` would share a per-epoch report column with a metric's mean (`val_loss_mean`
    /// beside `val_loss`) or be the mean column of a parameter's name, among the run's metrics and `besides`.
    func isMeanColumn(_ name: String, besides: Set<String>, isParameter: (String) -> Bool) -> Bool {
        let suffix = Self.meanSuffix
        if name.hasSuffix(suffix) {
            let base = String(name.dropLast(suffix.count))
            if metricNames.contains(base) || besides.contains(base) { return true }
        }
        let mean = name + suffix
        return metricNames.contains(mean) || besides.contains(mean) || isParameter(mean)
    }
}

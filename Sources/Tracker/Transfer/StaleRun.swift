/// When a run that the team store holds as `running` is a ghost: `stale`, a status derived each
/// time the store's runs are read and never written anywhere.
///
/// A run is stale when its `heartbeat_at` as last pushed (its `started_at` if it has none) is more
/// than `threshold` seconds older than the store's own clock (`now()`, so that the reading
/// machine's clock does not matter). A run that trains pushes a newer heartbeat with every push,
/// so a stale run is one whose pushes stopped: its machine crashed, went offline, or its owner
/// stopped pushing. Its owner's next push brings it up to date and it is `running` again.
public enum StaleRun {
    /// How long a running run's pushed heartbeat may lag the store's clock: ten minutes.
    public static let threshold = 600

    /// The status the store's runs are shown with: `stale` for a stale run, its own otherwise.
    public static let shownStatus = "stale"

    /// An SQL expression, over the store's `runs`, that is the status to show: `stale` or `status`.
    ///
    /// gradlog's timestamps are ISO 8601 UTC text of one width, so they compare as text (in the C
    /// collation, whatever the database's); text that is not a timestamp never makes a run stale.
    static let statusSQL = """
        CASE WHEN status = 'running' AND coalesce(heartbeat_at, started_at) ~ '^\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z$' \
        AND coalesce(heartbeat_at, started_at) COLLATE "C" < pg_catalog.to_char(pg_catalog.now() AT TIME ZONE 'UTC' \
        - interval '\(threshold) seconds', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') COLLATE "C" THEN '\(shownStatus)' ELSE status END
        """
}

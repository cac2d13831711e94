import PostgresDB

/// Keeps push from running anything of someone else's in the team store, and pull from writing there.
///
/// Push writes under the pusher's role, so a trigger, a rule, a row-level security policy, an event
/// trigger, or a default, constraint or index that calls a function of someone else's on gradlog's
/// tables would run with that role's privileges (or change what is written). gradlog's PostgreSQL
/// migrations create none of these, so any that exist are someone else's: push refuses the store,
/// naming them, before it writes anything. Pull only reads, in a read-only session.
enum StoreGuard {
    /// Pins the session's `search_path` to the store's schema with `pg_catalog` searched first, and
    /// makes a pull's session read-only.
    ///
    /// A store's owner can set any `search_path` for the database or role, with a schema of their
    /// own functions (a `to_regclass`, a `max`) ahead of `pg_catalog`; gradlog's unqualified SQL
    /// would call them. With `pg_catalog` implicitly first and `pg_temp` last, as PostgreSQL's
    /// documentation recommends for security definer functions, every built-in gradlog calls is
    /// the built-in one.
    /// The schema need not exist yet: until a push creates it, nothing is found there.
    static func prepareSession(_ connection: PostgresConnection, schema: StoreSchema, readOnly: Bool) throws {
        try connection.execute("SET search_path = \(schema.identifier), pg_temp")
        if readOnly { try connection.execute("SET default_transaction_read_only = on") }
    }

    /// Throws `TeamStoreProblem.foreignObjects` when the store has objects gradlog did not create.
    static func refuseForeignObjects(in connection: PostgresConnection) throws {
        let found = try foreignObjects(in: connection)
        if !found.isEmpty { throw TeamStoreProblem.foreignObjects(found) }
    }

    /// In a push's transaction, before it writes: locks the tables push writes against DDL (a new
    /// trigger, rule, policy or default waits for this transaction to end), then refuses foreign objects.
    static func lockAndRefuseForeignObjects(in connection: PostgresConnection) throws {
        // ROW EXCLUSIVE, the mode the writes themselves take, conflicts with CREATE TRIGGER, CREATE
        // RULE, CREATE POLICY and ALTER TABLE but with no other push, nor with a pull.
        let written = (["runs"] + TransferTable.all.map(\.name)).joined(separator: ", ")
        try connection.execute("LOCK TABLE \(written) IN ROW EXCLUSIVE MODE")
        try refuseForeignObjects(in: connection)
    }

    /// The objects on gradlog's tables and views in the store, and the database's event triggers,
    /// that gradlog's migrations did not create.
    static func foreignObjects(in connection: PostgresConnection) throws -> [ForeignStoreObject] {
        let result = try connection.query(foreignObjectsQuery, [arrayLiteral(relations.tables), arrayLiteral(relations.views)])
        return try result.namedRows.map { row throws(PostgresError) in
            let kind = try row["kind"]
            guard let known = kind.flatMap(ForeignStoreObject.Kind.init(rawValue:)) else {
                throw PostgresError(sqlState: nil, message: "the check of the store's objects found one of kind \(kind ?? "NULL")")
            }
            return try ForeignStoreObject(kind: known, name: row["name"] ?? "", table: row["relation"])
        }
    }

    /// The names of the tables and views gradlog's PostgreSQL migrations create, read from them.
    static let relations: (tables: [String], views: [String]) = {
        var tables: [String] = []
        var views: [String] = []
        for line in TeamStore.migrator.migrations.flatMap({ $0.sql.split(separator: "\n") }) {
            // "CREATE TABLE runs (", "CREATE VIEW param_updates AS", "CREATE OR REPLACE VIEW x AS", …
            let words = line.split(whereSeparator: { $0 == " " || $0 == "(" })
                .filter { !["OR", "REPLACE", "IF", "NOT", "EXISTS"].contains($0) }
            guard words.count >= 3, words[0] == "CREATE" else { continue }
            let name = String(words[2])
            if words[1] == "TABLE", !tables.contains(name) { tables.append(name) }
            if words[1] == "VIEW", !views.contains(name) { views.append(name) }
        }
        return (tables, views)
    }()

    /// A PostgreSQL text[] literal of plain names (gradlog's own, which need no quoting).
    private static func arrayLiteral(_ names: [String]) -> String {
        "{" + names.joined(separator: ",") + "}"
    }

    /// Lists each foreign object as (kind, name, table). $1 holds gradlog's tables, $2 its views.
    ///
    /// PostgreSQL records no dependency on a built-in object, so an expression, constraint, index
    /// or column with a dependency on a function, operator, type or operator class depends on one
    /// that is not built in. Built-in functions with side effects (set_config, say) are found by
    /// their volatility: an expression's stored tree names each function it calls (`:funcid N`,
    /// `:opfuncid N`), and gradlog's own expressions call only immutable ones.
    private static let foreignObjectsQuery = """
        WITH store AS (
            SELECT c.oid, c.relname::text AS name, c.relkind, c.relrowsecurity OR c.relforcerowsecurity AS secured,
                   CASE WHEN c.relname = ANY ($2::text[]) THEN 'v' ELSE 'r' END AS expected
            FROM pg_class AS c
            WHERE c.relnamespace = (SELECT oid FROM pg_namespace WHERE nspname = current_schema())
              AND (c.relname = ANY ($1::text[]) OR c.relname = ANY ($2::text[]))
        ),
        expressions AS (
            SELECT CASE WHEN a.attgenerated = '' THEN 'column default' ELSE 'generated column' END AS kind,
                   a.attname::text AS name, s.name AS relation, d.adbin::text AS tree,
                   'pg_attrdef'::regclass AS classid, d.oid AS objid, 0 AS objsubid
            FROM pg_attrdef AS d
            JOIN store AS s ON s.oid = d.adrelid
            JOIN pg_attribute AS a ON a.attrelid = d.adrelid AND a.attnum = d.adnum
            UNION ALL
            SELECT 'constraint', con.conname::text, s.name, con.conbin::text, 'pg_constraint'::regclass, con.oid, 0
            FROM pg_constraint AS con JOIN store AS s ON s.oid = con.conrelid
            UNION ALL
            SELECT 'index', i.relname::text, s.name, concat(x.indexprs::text, x.indpred::text), 'pg_class'::regclass,
                   x.indexrelid, 0
            FROM pg_index AS x JOIN store AS s ON s.oid = x.indrelid JOIN pg_class AS i ON i.oid = x.indexrelid
            UNION ALL
            SELECT 'column type', a.attname::text, s.name, NULL, 'pg_class'::regclass, s.oid, a.attnum
            FROM pg_attribute AS a JOIN store AS s ON s.oid = a.attrelid
            WHERE a.attnum > 0 AND NOT a.attisdropped
        )
        SELECT kind, name, relation FROM (
            SELECT 1 AS rank, 'event trigger' AS kind, e.evtname::text AS name, NULL AS relation FROM pg_event_trigger AS e
            UNION ALL
            SELECT 2, 'relation kind', s.name, s.name FROM store AS s WHERE s.relkind <> s.expected
            UNION ALL
            SELECT 3, 'trigger', t.tgname::text, s.name FROM pg_trigger AS t JOIN store AS s ON s.oid = t.tgrelid
            WHERE NOT t.tgisinternal
            UNION ALL
            SELECT 4, 'rule', r.rulename::text, s.name FROM pg_rewrite AS r JOIN store AS s ON s.oid = r.ev_class
            WHERE NOT (r.rulename = '_RETURN' AND s.relkind = 'v')
            UNION ALL
            SELECT 5, 'row-level security', s.name, s.name FROM store AS s WHERE s.secured
            UNION ALL
            SELECT 6, 'policy', p.polname::text, s.name FROM pg_policy AS p JOIN store AS s ON s.oid = p.polrelid
            UNION ALL
            SELECT 7, e.kind, e.name, e.relation FROM expressions AS e
            WHERE EXISTS (
                    SELECT 1 FROM pg_depend AS d
                    WHERE d.classid = e.classid AND d.objid = e.objid AND d.objsubid = e.objsubid
                      AND d.refclassid IN ('pg_proc'::regclass, 'pg_operator'::regclass, 'pg_type'::regclass,
                                           'pg_opclass'::regclass))
               OR EXISTS (
                    SELECT 1 FROM regexp_matches(e.tree, ':(?:op)?funcid ([0-9]+)', 'g') AS m
                    JOIN pg_proc AS p ON p.oid = m[1]::oid
                    WHERE p.provolatile <> 'i')
        ) AS found
        ORDER BY rank, relation, kind, name
        """
}

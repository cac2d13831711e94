import Training
import Tracker

/// The words for the objects on a team store's tables that push refuses, and the SQL that drops them.
enum ForeignObjectList {
    /// How many objects a message names before it only counts the rest.
    static let limit = 10

    /// The refusal: what was found, how to remove it, and that nothing was written.
    static func message(_ objects: [ForeignStoreObject]) -> String {
        var items = objects.prefix(limit).map(description)
        if objects.count > limit { items.append("and \(objects.count - limit) more") }
        var statements: [String] = []
        for statement in objects.prefix(limit).compactMap(remedy) where !statements.contains(statement) {
            statements.append(statement)
        }
        let how = statements.isEmpty ? "" : " (" + MessageText.escapingControls(statements.joined(separator: "; ")) + ")"
        return "the store's tables carry objects that gradlog's migrations did not create, which would run under "
            + "your role, or change what is written, on every push: " + items.joined(separator: ", ") + "; drop them as their owner" + how
            + ", or push to a store without them (nothing was written)"
    }

    private static func description(of object: ForeignStoreObject) -> String {
        let name = MessageText.quoted(object.name)
        let table = object.table ?? ""
        return switch object.kind {
        case .relationKind: "\(table) (no longer the kind of relation gradlog created)"
        case .trigger: "trigger \(name) on \(table)"
        case .rule: "rule \(name) on \(table)"
        case .policy: "policy \(name) on \(table)"
        case .rowLevelSecurity: "row-level security on \(table)"
        case .eventTrigger: "event trigger \(name)"
        case .columnDefault: "the default of column \(name) of \(table)"
        case .generatedColumn: "generated column \(name) of \(table)"
        case .constraint: "constraint \(name) on \(table)"
        case .index: "index \(name) on \(table)"
        case .columnType: "the type of column \(name) of \(table)"
        }
    }

    /// The statement that removes the object; nil where that depends on whether the column or
    /// relation is gradlog's own (only a store without it will do then).
    private static func remedy(for object: ForeignStoreObject) -> String? {
        // Table names are gradlog's own; the object's name is quoted, as it may be a keyword or hold anything.
        let name = "\"" + object.name.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"") + "\""
        let table = object.table ?? ""
        return switch object.kind {
        case .relationKind, .generatedColumn, .columnType: nil
        case .trigger: "DROP TRIGGER \(name) ON \(table)"
        case .rule: "DROP RULE \(name) ON \(table)"
        case .policy: "DROP POLICY \(name) ON \(table)"
        case .rowLevelSecurity: "ALTER TABLE \(table) DISABLE ROW LEVEL SECURITY, NO FORCE ROW LEVEL SECURITY"
        case .eventTrigger: "DROP EVENT TRIGGER \(name)"
        case .columnDefault: "ALTER TABLE \(table) ALTER COLUMN \(name) DROP DEFAULT"
        case .constraint: "ALTER TABLE \(table) DROP CONSTRAINT \(name)"
        case .index: "DROP INDEX \(name)"
        }
    }
}

import PackagePlugin

/// Embeds every `.sql` file of the target it is applied to (its subfolders included) in one
/// generated Swift file, `EmbeddedSQL`, so a new migration or report is a new file and nothing else.
///
/// SwiftPM calls this when it plans each build, with the target's files as they are then, so a file
/// added or removed changes the command's inputs and the command runs again; an unchanged folder
/// runs nothing.
@main struct EmbedSQL: BuildToolPlugin {
    /// The one command: embed-sql, reading the target's `.sql` files and writing `EmbeddedSQL.swift`.
    func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
        // The concrete type: the protocol's `directoryURL` needs tools version 6.1, and the package says 6.0.
        guard let module = target as? SwiftSourceModuleTarget else { return [] }
        let files = module.sourceFiles(withSuffix: "sql").map(\.url)
        let output = context.pluginWorkDirectoryURL.appending(path: "EmbeddedSQL.swift")
        // The migrations' target also gets the schema they leave, applied once here rather than in every run.
        let options = target.name == "Migrations" ? ["--migrated-schema"] : []
        return [
            .buildCommand(
                displayName: "Embedding the \(files.count) SQL files of \(target.name)" + (options.isEmpty ? "" : " and the schema they leave"),
                executable: try context.tool(named: "embed-sql").url,
                arguments: options + [output.path, module.directoryURL.path] + files.map(\.path),
                inputFiles: files,
                outputFiles: [output]),
        ]
    }
}

// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "gradlog",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "gradlog", targets: ["gradlog"]),
        // The local web app, started by `gradlog serve`; only this product builds the HTTP server.
        .executable(name: "gradlog-serve", targets: ["gradlog-serve"]),
        // Logging from your own Swift training code: see Examples/HandWrittenLoop.
        .library(name: "GradlogKit", targets: ["GradlogKit"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        // The HTTP server of gradlog-serve: pure Swift over the system's sockets, no SwiftNIO.
        .package(url: "https://github.com/swhitty/FlyingFox", from: "0.27.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSQLite",
            pkgConfig: "sqlite3",
            providers: [.apt(["libsqlite3-dev"])]
        ),
        .target(name: "SQLiteDB", dependencies: ["CSQLite"]),
        // The PostgreSQL team store's client library (Debian's libpq-dev), and a small wrapper like SQLiteDB.
        .systemLibrary(
            name: "CLibPQ",
            pkgConfig: "libpq",
            providers: [.apt(["libpq-dev"])]
        ),
        .target(name: "PostgresDB", dependencies: ["CLibPQ"]),
        // Terminal width and character widths (ioctl is variadic; wcwidth needs a UTF-8 locale).
        .target(name: "CTerminal"),
        .target(name: "Training"),
        // Series in, deterministic SVG out: scales, ticks, min/max envelopes. Knows neither SQLite
        // nor the command line.
        .target(name: "Charts"),
        // The SQL of the migrations and reports: every `.sql` file of these folders (subfolders
        // included) is embedded in the binary by the EmbedSQL plugin, so adding one lists it nowhere.
        .target(name: "Migrations", path: "Migrations", plugins: ["EmbedSQL"]),
        .target(name: "Reports", path: "Reports", plugins: ["EmbedSQL"]),
        // The plugin's tool: writes the Swift file that holds a target's `.sql` files as string literals.
        // For the Migrations target it also applies the migrations with SQLiteDB's migrator and embeds what they leave.
        .executableTarget(name: "embed-sql", dependencies: ["SQLiteDB"]),
        .plugin(name: "EmbedSQL", capability: .buildTool(), dependencies: ["embed-sql"]),
        .target(name: "Tracker", dependencies: ["SQLiteDB", "PostgresDB", "Training", "Charts", "Migrations", "Reports", "CSHA256"]),
        // SHA-256 by the CPU's SHA instructions where it has them: a run's fingerprint hashes every row it logs.
        .target(name: "CSHA256"),
        // The words of errors and hints, which the command line and GradlogKit both show.
        .target(name: "Wording", dependencies: ["Tracker", "Training", "SQLiteDB"]),
        // The output library: the aligned terminal table, CSV, TSV, JSON, JSON Lines and Markdown
        // rows, each with its one escaping rule, and the console and `--output` files they go to.
        .target(name: "Output", dependencies: ["Tracker", "Training", "Wording", "SQLiteDB", "CTerminal"]),
        // JSON Lines in: the scanner, a line reader on its own thread, and the session that turns
        // `gradlog log`'s lines into a run.
        .target(name: "JSONLines", dependencies: ["Tracker", "Training", "Wording"]),
        // HTML pages of runs, for `report --html` and the web app: the style sheet, the escaped
        // tables, the charts of runs (ChartBuilder) and the report page.
        .target(name: "HTMLPages", dependencies: ["Tracker", "Wording", "Output", "Charts", "Training", "SQLiteDB"]),
        // `gradlog serve`'s options, declared once for the command line (which starts the server)
        // and the server's own executable.
        .target(
            name: "ServeOptions",
            dependencies: [.product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        // The web app: routes, pages, exports and the live event stream, read-only over a Store.
        .target(
            name: "GradlogServe",
            dependencies: [
                "HTMLPages", "Tracker", "Output", "Charts", "SQLiteDB", "Wording", "ServeOptions",
                .product(name: "FlyingFox", package: "FlyingFox"),
            ]
        ),
        .executableTarget(
            name: "gradlog-serve",
            dependencies: ["GradlogServe", "ServeOptions", .product(name: "ArgumentParser", package: "swift-argument-parser")]
        ),
        .target(
            name: "GradlogCLI",
            dependencies: [
                "Tracker",
                "HTMLPages",
                "ServeOptions",
                "Wording",
                "Output",
                "JSONLines",
                "Charts",
                "Training",
                // Table cells are SQLiteValues, so the CLI names the wrapper it renders them from.
                "SQLiteDB",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "gradlog", dependencies: ["GradlogCLI"]),
        // The library product: a run of your own code, logged as `gradlog run` logs its own, its
        // errors in the command line's words.
        .target(name: "GradlogKit", dependencies: ["Tracker", "Training", "Wording"]),
        // The benchmark's floor in C: the lesson trained and logged with nothing in between.
        .target(name: "CFloor", dependencies: ["CSQLite"]),
        // The performance benchmark: build with -c release, then run .build/release/gradlog-bench.
        .executableTarget(
            name: "gradlog-bench",
            dependencies: [
                "CSQLite", "CFloor", "Tracker", "Training",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Helpers shared by the test targets (temporary directories, the corpus of hostile strings); not
        // part of the product.
        .target(name: "TestSupport", dependencies: ["PostgresDB"], path: "Tests/TestSupport"),
        .testTarget(name: "PostgresDBTests", dependencies: ["PostgresDB", "TestSupport"]),
        .testTarget(name: "SQLiteDBTests", dependencies: ["SQLiteDB", "TestSupport"]),
        .testTarget(name: "TrainingTests", dependencies: ["Training", "Wording"]),
        .testTarget(name: "ChartsTests", dependencies: ["Charts", "TestSupport"]),
        .testTarget(
            name: "TrackerTests",
            dependencies: ["Tracker", "SQLiteDB", "Training", "Migrations", "Reports", "TestSupport"]),
        .testTarget(name: "GradlogCLITests", dependencies: ["GradlogCLI", "Tracker", "Wording", "Output", "JSONLines", "SQLiteDB", "PostgresDB", "Training", "Charts", "TestSupport"]),
        .testTarget(name: "GradlogServeTests", dependencies: ["GradlogServe", "ServeOptions", "Tracker", "Training", "TestSupport"]),
        .testTarget(name: "GradlogKitTests", dependencies: ["GradlogKit", "Tracker", "SQLiteDB", "Training", "TestSupport"]),
        // Runs the built executables, so it depends on them to have them built first.
        .testTarget(name: "EndToEndTests", dependencies: ["gradlog", "gradlog-bench", "gradlog-serve", "embed-sql", "PostgresDB", "TestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)

import Foundation
import Synchronization

/// A database file that several tests start from, made once per test process: the runs every
/// test of a suite would otherwise train (or log, or craft) in the same way are made a single time,
/// and each test still gets a fresh database of its own, a byte-for-byte copy of this one in its own
/// directory, so that no test sees another's writes.
///
/// The file is made in a directory of its own, removed when the test process exits. Whoever makes
/// it must leave the file whole, with nothing in a write-ahead log (the copy takes the main file
/// only): gradlog's own processes and commands do so when they close it; a file written through a
/// connection that stays open needs `PRAGMA wal_checkpoint(TRUNCATE)` first.
public final class DatabaseTemplate<Extra: Sendable>: Sendable {
    private let made = Mutex<Made?>(nil)
    private let make: @Sendable (_ path: String) throws -> Extra

    private enum Made: Sendable {
        case file(path: String, extra: Extra)
        case failed(any Error)
    }

    /// A template that `make` writes at `path` the first time a test asks for a copy; it may return
    /// what the tests need to know about the file besides its path (its runs, say).
    public init(_ make: @escaping @Sendable (_ path: String) throws -> Extra) {
        self.make = make
    }

    /// Copies the template to `destination` (made first if this is the first copy) and returns what
    /// `make` returned. A failure to make it is thrown to every test that asks.
    @discardableResult
    public func copy(to destination: String) throws -> Extra {
        let outcome: Made = made.withLock { made in
            if let made { return made }
            let outcome: Made
            do {
                let path = try TemplateDirectories.make() + "/template.db"
                outcome = .file(path: path, extra: try make(path))
            } catch {
                outcome = .failed(error)
            }
            made = outcome
            return outcome
        }
        switch outcome {
        case .file(let path, let extra):
            try FileManager.default.copyItem(atPath: path, toPath: destination)
            return extra
        case .failed(let error):
            throw error
        }
    }
}

/// The directories of the templates, removed when the test process exits.
enum TemplateDirectories {
    private static let paths = Mutex<[String]>([])

    static func make() throws -> String {
        let path = TemporaryDirectory.base + "gradlog-template-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        paths.withLock { paths in
            if paths.isEmpty { atexit { TemplateDirectories.removeAll() } }
            paths.append(path)
        }
        return path
    }

    private static func removeAll() {
        for path in paths.withLock({ $0 }) { try? FileManager.default.removeItem(atPath: path) }
    }
}

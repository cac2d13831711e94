#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Arrays of C strings for libpq's parameter lists, alive only for the duration of a call.
enum CStrings {
    /// Calls `body` with a NUL-terminated array of the strings.
    static func with<T>(_ strings: [String], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        withOptional(strings) { pointers in pointers.withMemoryRebound(to: UnsafePointer<CChar>?.self, capacity: strings.count + 1, body) }
    }

    /// Calls `body` with an array of the strings, NULL for nil, followed by a NULL.
    static func withOptional<T>(_ strings: [String?], _ body: (UnsafePointer<UnsafePointer<CChar>?>) -> T) -> T {
        let copies: [UnsafeMutablePointer<CChar>?] = strings.map { $0.flatMap { strdup($0) } }
        defer { copies.forEach { free($0) } }
        let pointers = copies.map { UnsafePointer($0) } + [nil]
        return pointers.withUnsafeBufferPointer { body($0.baseAddress!) }
    }
}

import CSHA256
import SQLiteDB

/// The SHA-256 of a run's content in its canonical byte form (docs/database.md, "A run's
/// fingerprint"), fed value by value: by the recorder as it writes rows, or from stored rows.
///
/// Values are encoded as SQLite stores them: a NaN is NULL and -0.0 is 0.0. Bytes gather in a
/// buffer of its own and are hashed a few kilobytes at a time, so a step costs a few stores.
final class FingerprintHasher {
    /// The first value of every fingerprint's stream: the canonical form's name and version.
    static let formatName = "gradlog run fingerprint 1"

    /// The record tags: a byte before each row's values.
    enum Tag: UInt8 {
        case config = 0x43, sample = 0x58, sampleInput = 0x49, step = 0x53, gradient = 0x47, metric = 0x4D
    }

    private let hash: UnsafeMutablePointer<gradlog_sha256>
    private let buffer: UnsafeMutableRawPointer
    private var used = 0
    private static let capacity = 8192
    /// Room kept free for one value written without a check: a marker and 8 bytes.
    private static let valueRoom = 9

    /// An empty hash, its stream started with `formatName`.
    convenience init() {
        self.init(empty: ())
        text(Self.formatName)
    }

    /// An empty hash of an empty stream.
    private init(empty: Void) {
        hash = .allocate(capacity: 1)
        gradlog_sha256_init(hash)
        buffer = .allocate(byteCount: Self.capacity, alignment: 16)
    }

    deinit {
        hash.deallocate()
        buffer.deallocate()
    }

    /// Hashes the bytes gathered so far when fewer than `room` bytes are free.
    @inline(__always) private func ensure(_ room: Int) {
        if used + room > Self.capacity { flush() }
    }

    private func flush() {
        gradlog_sha256_update(hash, buffer.assumingMemoryBound(to: UInt8.self), used)
        used = 0
    }

    @inline(__always) private func byte(_ value: UInt8) {
        buffer.storeBytes(of: value, toByteOffset: used, as: UInt8.self)
        used += 1
    }

    @inline(__always) private func word(_ value: UInt64) {
        buffer.storeBytes(of: value.bigEndian, toByteOffset: used, as: UInt64.self)
        used += 8
    }

    /// Starts a row.
    @inline(__always) func tag(_ tag: Tag) {
        ensure(Self.valueRoom + 1)
        byte(tag.rawValue)
    }

    /// A NULL: the byte 0.
    @inline(__always) func null() {
        ensure(Self.valueRoom)
        byte(0)
    }

    /// An integer: the byte 1, then its 8 bytes (two's complement, big-endian).
    @inline(__always) func integer(_ value: Int64) {
        ensure(Self.valueRoom)
        byte(1)
        word(UInt64(bitPattern: value))
    }

    /// A measured double as stored: NULL for NaN, else the byte 2 and its IEEE-754 bits big-endian
    /// (-0.0 as 0.0, which is all SQLite keeps of it).
    @inline(__always) func real(_ value: Double) {
        ensure(Self.valueRoom)
        if value.isNaN { byte(0); return }
        byte(2)
        word(value == 0 ? 0 : value.bitPattern)
    }

    /// Text: the byte 3, its UTF-8 length in 8 bytes big-endian, then its bytes.
    func text(_ value: String) {
        var value = value
        value.withUTF8 { encoded(text: UnsafeRawBufferPointer($0)) }
    }

    /// Text already encoded as UTF-8.
    func encoded(text bytes: UnsafeRawBufferPointer) {
        ensure(Self.valueRoom)
        byte(3)
        word(UInt64(bytes.count))
        var rest = bytes[...]
        while !rest.isEmpty {
            if used == Self.capacity { flush() }
            let take = min(rest.count, Self.capacity - used)
            UnsafeMutableRawBufferPointer(start: buffer + used, count: take).copyMemory(from: UnsafeRawBufferPointer(rebasing: rest.prefix(take)))
            used += take
            rest = rest.dropFirst(take)
        }
    }

    /// A stored value by its storage class (a blob, which no hashed column holds, as its bytes after the byte 4).
    func value(_ value: SQLiteValue) {
        switch value {
        case .null: null()
        case .integer(let number): integer(number)
        case .real(let number): real(number)
        case .text(let string): text(string)
        case .blob(let bytes):
            ensure(Self.valueRoom)
            byte(4)
            word(UInt64(bytes.count))
            for chunk in stride(from: 0, to: bytes.count, by: 64) {
                ensure(64)
                for b in bytes[chunk..<min(bytes.count, chunk + 64)] { byte(b) }
            }
        }
    }

    /// The digest of the stream so far, as 64 lowercase hex digits; more may be added after.
    func hexDigest() -> String {
        flush()
        var digest = [UInt8](repeating: 0, count: 32)
        gradlog_sha256_digest(hash, &digest)
        let hex = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [hex[Int($0 >> 4)], hex[Int($0 & 15)]] }, as: UTF8.self)
    }

    /// The SHA-256 of `bytes` alone, as 64 hex digits (for tests of the hash itself).
    static func sha256(_ bytes: [UInt8]) -> String {
        let hasher = FingerprintHasher(empty: ())
        bytes.withUnsafeBytes { raw in
            var rest = raw[...]
            while !rest.isEmpty {
                hasher.ensure(64)
                let take = min(64, rest.count)
                UnsafeMutableRawBufferPointer(start: hasher.buffer + hasher.used, count: take)
                    .copyMemory(from: UnsafeRawBufferPointer(rebasing: rest.prefix(take)))
                hasher.used += take
                rest = rest.dropFirst(take)
            }
        }
        return hasher.hexDigest()
    }

    /// With `on`, every hash uses the portable code rather than the CPU's SHA instructions (for tests).
    static func portableOnly(_ on: Bool) {
        gradlog_sha256_portable_only(on ? 1 : 0)
    }
}

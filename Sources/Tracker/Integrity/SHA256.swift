import CSHA256

/// SHA-256 (FIPS 180-4) for the few digests gradlog takes besides a run's fingerprint (a run's
/// samples, a sweep's grid): the C hash of `CSHA256`, which the fingerprint uses too.
public struct SHA256 {
    private var state = gradlog_sha256()

    /// An empty hash.
    public init() {
        gradlog_sha256_init(&state)
    }

    /// Adds bytes to the message.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        let contiguous = Array(bytes)
        contiguous.withUnsafeBufferPointer { buffer in
            if let base = buffer.baseAddress { gradlog_sha256_update(&state, base, buffer.count) }
        }
    }

    /// The digest as 64 lowercase hex digits.
    public mutating func hexDigest() -> String {
        var digest = [UInt8](repeating: 0, count: 32)
        gradlog_sha256_digest(&state, &digest)
        let digits = Array("0123456789abcdef".utf8)
        return String(decoding: digest.flatMap { [digits[Int($0 >> 4)], digits[Int($0 & 15)]] }, as: UTF8.self)
    }
}

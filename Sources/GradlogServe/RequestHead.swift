/// The head of an HTTP/1.1 request (request line and headers), read from the bytes of a connection
/// with fixed limits, so that an oversized or malformed head gets a prompt refusal instead of
/// being read, byte by byte, for as long as the client sends.
struct RequestHead: Equatable {
    var method: String
    /// The path of the target, still percent-encoded.
    var path: String
    /// The query of the target, without its `?`, as sent.
    var query: String
    /// `HTTP/1.1` or `HTTP/1.0`.
    var version: String
    /// The headers, names in lower case, each with its values in order.
    var headers: [String: [String]]

    /// The longest request line taken (the address bar of browsers stops near here too); longer is 414.
    static let lineLimit = 8_192
    /// The longest head taken, request line and headers together; longer is 431.
    static let headLimit = 32_768
    /// The most header lines taken; more is 431.
    static let headerCountLimit = 100

    /// Why a head is refused: the status and a sentence a user can act on.
    struct Refusal: Error, Equatable {
        let status: Int
        let message: String

        static let lineTooLong = Refusal(status: 414, message: "414 URI Too Long: the request line is longer than "
            + "\(RequestHead.lineLimit) bytes; shorten the query (a filter of 200 characters at most)")
        static let headTooLarge = Refusal(status: 431, message: "431 Request Header Fields Too Large: the request's head is "
            + "longer than \(RequestHead.headLimit) bytes or has more than \(RequestHead.headerCountLimit) header lines")
        static func malformed(_ what: String) -> Refusal { Refusal(status: 400, message: "400 Bad Request: \(what)") }
    }

    /// Where the head in `bytes` ends (the index after its blank line), nil while it is incomplete;
    /// throws as soon as the bytes already exceed a limit, complete or not.
    static func end(in bytes: [UInt8]) throws(Refusal) -> Int? {
        let lineEnd = bytes.firstIndex(of: UInt8(ascii: "\n"))
        if (lineEnd ?? bytes.count) > lineLimit { throw .lineTooLong }
        var index = 3
        while index < bytes.count {
            if bytes[index] == 10, bytes[index - 1] == 13, bytes[index - 2] == 10, bytes[index - 3] == 13 {
                guard index + 1 <= headLimit else { throw .headTooLarge }
                return index + 1
            }
            index += 1
        }
        if bytes.count > headLimit { throw .headTooLarge }
        return nil
    }

    /// The head of `bytes` (a complete head, its blank line included).
    static func parse(_ bytes: ArraySlice<UInt8>) throws(Refusal) -> RequestHead {
        var lines = String(decoding: bytes, as: UTF8.self).split(separator: "\r\n", omittingEmptySubsequences: false)
        while lines.last?.isEmpty == true { lines.removeLast() }
        guard let requestLine = lines.first else { throw .malformed("no request line") }
        let parts = requestLine.split(separator: " ", omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[0].isEmpty, parts[1].hasPrefix("/"),
              parts[2] == "HTTP/1.1" || parts[2] == "HTTP/1.0" else {
            throw .malformed("the request line must be METHOD /PATH HTTP/1.1")
        }
        guard lines.count - 1 <= headerCountLimit else { throw .headTooLarge }
        var headers: [String: [String]] = [:]
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":"), colon > line.startIndex else { throw .malformed("a header line has no name") }
            let name = line[..<colon].lowercased()
            guard !name.contains(where: { $0 == " " || $0 == "\t" }) else { throw .malformed("a header name has a space") }
            var value = line[line.index(after: colon)...]
            while value.first == " " || value.first == "\t" { value.removeFirst() }
            while value.last == " " || value.last == "\t" { value.removeLast() }
            headers[name, default: []].append(String(value))
        }
        let target = parts[1].split(separator: "?", maxSplits: 1, omittingEmptySubsequences: false)
        return RequestHead(method: String(parts[0]), path: String(target[0]), query: target.count > 1 ? String(target[1]) : "",
                           version: String(parts[2]), headers: headers)
    }

    /// Whether the connection may carry another request after this one's answer.
    var keepsAlive: Bool {
        let connection = (headers["connection"] ?? []).joined(separator: ",").lowercased()
        return version == "HTTP/1.1" ? !connection.contains("close") : connection.contains("keep-alive")
    }

    /// Whether the request announces a body (this server reads none, so the connection ends after it).
    var hasBody: Bool {
        headers["transfer-encoding"] != nil || (headers["content-length"] ?? []).contains { $0 != "0" }
    }
}

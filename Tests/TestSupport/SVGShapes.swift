import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An SVG document read back as its elements with their attributes, so that chart tests check the
/// geometry (where ticks, bands, dots and legend entries are) rather than search the text.
public final class SVGShapes: NSObject, XMLParserDelegate {
    /// One element: its name, attributes and the text directly inside it.
    public struct Shape: Sendable {
        public let name: String
        public let attributes: [String: String]
        public internal(set) var text: String

        /// A numeric attribute, nil when absent or not a number.
        public func number(_ attribute: String) -> Double? { attributes[attribute].flatMap(Double.init) }

        /// The class attribute's words.
        public var classes: [String] { attributes["class"]?.split(separator: " ").map(String.init) ?? [] }

        /// The (x, y) pairs of a `points` attribute.
        public var points: [(x: Double, y: Double)] {
            (attributes["points"] ?? "").split(separator: " ").compactMap { pair in
                let parts = pair.split(separator: ",").compactMap { Double($0) }
                return parts.count == 2 ? (parts[0], parts[1]) : nil
            }
        }
    }

    /// The elements, in document order.
    public private(set) var shapes: [Shape] = []
    private var open: [Int] = []

    /// Reads `svg`; throws the parser's error when it is not well-formed XML.
    public static func read(_ svg: String) throws -> [Shape] {
        let reader = SVGShapes()
        let parser = XMLParser(data: Data(svg.utf8))
        parser.delegate = reader
        guard parser.parse() else { throw parser.parserError ?? CocoaError(.propertyListReadCorrupt) }
        return reader.shapes
    }

    public func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                       qualifiedName: String?, attributes: [String: String] = [:]) {
        shapes.append(Shape(name: name, attributes: attributes, text: ""))
        open.append(shapes.count - 1)
    }

    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { shapes[current].text += string }
    }
}

extension Array where Element == SVGShapes.Shape {
    /// The y axis' tick labels (right-aligned just left of the plot), top to bottom as drawn.
    public var yTickLabels: [String] {
        filter { $0.name == "text" && $0.attributes["text-anchor"] == "end" && $0.number("x") == 74 }.map(\.text)
    }

    /// The x axis' tick labels (centred just below the plot), left to right.
    public var xTickLabels: [String] {
        filter { $0.name == "text" && $0.attributes["text-anchor"] == "middle" && $0.number("y") == 358 }.map(\.text)
    }

    /// The elements with this name and class.
    public func named(_ name: String, class word: String? = nil) -> [SVGShapes.Shape] {
        filter { shape in shape.name == name && (word.map { shape.classes.contains($0) } ?? true) }
    }
}

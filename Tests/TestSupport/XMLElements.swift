import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML document as Foundation's XMLParser reads it: every element with the text directly inside
/// it, in document order, so tests check output by reading it back rather than by searching it.
public final class XMLElements: NSObject, XMLParserDelegate {
    /// One element: its name, the text directly inside it (entities decoded), and its parent's index.
    public struct Element: Sendable {
        public let name: String
        public internal(set) var text: String
        public let parent: Int?
        /// The element's attributes, by name.
        public var attributes: [String: String] = [:]
    }

    /// The elements, in the order they start.
    public private(set) var elements: [Element] = []
    private var open: [Int] = []

    /// Reads `text`; throws the parser's error when it is not well-formed XML.
    public static func read(_ text: String) throws -> [Element] {
        let reader = XMLElements()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = reader
        guard parser.parse() else {
            throw parser.parserError ?? CocoaError(.propertyListReadCorrupt)
        }
        return reader.elements
    }

    /// The texts of the children of each element called `row` (`tr`), one array per row.
    public static func rows(_ elements: [Element], row: String = "tr") -> [[String]] {
        elements.indices.filter { elements[$0].name == row }.map { index in
            elements.filter { $0.parent == index }.map(\.text)
        }
    }

    /// What an XML reader gets back from a string under gradlog's XML rule: tab, line feed and
    /// carriage return as a space; C0 controls, DEL, C1 controls and noncharacters as U+FFFD.
    public static func expectedText(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            let value = scalar.value
            if value == 0x09 || value == 0x0A || value == 0x0D {
                result += " "
            } else if value < 0x20 || (0x7F...0x9F).contains(value) || (0xFDD0...0xFDEF).contains(value) || value & 0xFFFE == 0xFFFE {
                result += "\u{FFFD}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    public func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
                       qualifiedName: String?, attributes: [String: String] = [:]) {
        elements.append(Element(name: name, text: "", parent: open.last, attributes: attributes))
        open.append(elements.count - 1)
    }

    public func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    public func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let current = open.last { elements[current].text += string }
    }
}

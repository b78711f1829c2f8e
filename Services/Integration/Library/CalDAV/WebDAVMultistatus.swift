import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An XML element with its namespace, as WebDAV properties come (`DAV:` `href`,
/// `urn:ietf:params:xml:ns:caldav` `calendar-data`).
package struct WebDAVElement: Sendable, Equatable {
    /// The namespace URI (`DAV:`), empty when none.
    package var namespace: String
    /// The local name (`href`).
    package var name: String
    /// Attributes by local name.
    package var attributes: [String: String]
    /// The element's own character data, untrimmed.
    package var text: String
    /// Child elements in order.
    package var children: [WebDAVElement]

    /// An element from its parts.
    package init(namespace: String, name: String, attributes: [String: String] = [:], text: String = "", children: [WebDAVElement] = []) {
        self.namespace = namespace
        self.name = name
        self.attributes = attributes
        self.text = text
        self.children = children
    }

    /// Whether this element is `name` in `namespace`.
    package func `is`(_ namespace: String, _ name: String) -> Bool {
        self.namespace == namespace && self.name == name
    }

    /// The first child that is `name` in `namespace`.
    package func child(_ namespace: String, _ name: String) -> WebDAVElement? {
        children.first { $0.is(namespace, name) }
    }

    /// The text of every `DAV:href` child.
    package var hrefs: [String] {
        children.filter { $0.is(WebDAV.dav, "href") }.map { $0.text.trimmingCharacters(in: .whitespacesAndNewlines) }
    }
}

/// The namespaces CalDAV uses.
package enum WebDAV {
    /// WebDAV (RFC 4918).
    package static let dav = "DAV:"
    /// CalDAV (RFC 4791).
    package static let caldav = "urn:ietf:params:xml:ns:caldav"
    /// Apple's CalendarServer extensions (`getctag`).
    package static let calendarServer = "http://calendarserver.org/ns/"
}

/// A `207 Multi-Status` body (RFC 4918 §13): one entry per resource, with the properties the
/// server found (status 2xx) for it.
package struct WebDAVMultistatus: Sendable, Equatable {
    /// One `DAV:response`.
    package struct Response: Sendable, Equatable {
        /// The resource's href as sent (usually an absolute path).
        package var href: String
        /// The `DAV:status` of the response itself (a resource reported without properties), if any.
        package var status: Int?
        /// The properties of every `propstat` with a 2xx status.
        package var properties: [WebDAVElement]

        /// The property `name` in `namespace`, if found.
        package func property(_ namespace: String, _ name: String) -> WebDAVElement? {
            properties.first { $0.is(namespace, name) }
        }
    }

    /// The responses in order.
    package var responses: [Response]

    /// Parses a multistatus body; nil when it is not XML or its root is not `DAV:multistatus`.
    package init?(_ body: [UInt8]) {
        guard let root = WebDAVTreeBuilder.parse(Data(body)), root.is(WebDAV.dav, "multistatus") else { return nil }
        responses = root.children.filter { $0.is(WebDAV.dav, "response") }.compactMap { response in
            guard let href = response.hrefs.first else { return nil }
            var properties: [WebDAVElement] = []
            for propstat in response.children where propstat.is(WebDAV.dav, "propstat") {
                let status = propstat.child(WebDAV.dav, "status").flatMap { Self.statusCode($0.text) } ?? 200
                guard (200 ..< 300).contains(status), let prop = propstat.child(WebDAV.dav, "prop") else { continue }
                properties += prop.children
            }
            let status = response.child(WebDAV.dav, "status").flatMap { Self.statusCode($0.text) }
            return Response(href: href, status: status, properties: properties)
        }
    }

    /// `HTTP/1.1 200 OK` → 200.
    static func statusCode(_ line: String) -> Int? {
        let parts = line.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: " ")
        return parts.count >= 2 ? Int(parts[1]) : nil
    }
}

/// Builds a ``WebDAVElement`` tree with Foundation's namespace-aware XML parser.
private final class WebDAVTreeBuilder: NSObject, XMLParserDelegate {
    private var stack: [WebDAVElement] = []
    private var root: WebDAVElement?

    static func parse(_ data: Data) -> WebDAVElement? {
        let parser = XMLParser(data: data)
        parser.shouldProcessNamespaces = true
        parser.shouldResolveExternalEntities = false
        let builder = WebDAVTreeBuilder()
        parser.delegate = builder
        guard parser.parse() else { return nil }
        return builder.root
    }

    func parser(
        _ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
        qualifiedName qName: String?, attributes attributeDict: [String: String] = [:]
    ) {
        var attributes: [String: String] = [:]
        for (key, value) in attributeDict {
            attributes[key.split(separator: ":").last.map(String.init) ?? key] = value
        }
        stack.append(WebDAVElement(namespace: namespaceURI ?? "", name: elementName, attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName qName: String?) {
        guard let finished = stack.popLast() else { return }
        if stack.isEmpty { root = finished } else { stack[stack.count - 1].children.append(finished) }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += string
    }

    func parser(_ parser: XMLParser, foundCDATA CDATABlock: Data) {
        guard !stack.isEmpty else { return }
        stack[stack.count - 1].text += String(decoding: CDATABlock, as: UTF8.self)
    }
}

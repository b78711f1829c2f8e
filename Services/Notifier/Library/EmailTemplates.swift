import Foundation
import Mustache

/// The notifier's mustache templates (`Templates/*.mustache`, bundled as a resource folder):
/// per kind a `.subject`, a `.text` and an `.html` template, partials named `_…`, and `invite.ics`.
package struct EmailTemplates: Sendable {
    let library: MustacheLibrary

    /// Loads every template of the bundled folder; throws when one does not parse.
    package static func bundled() throws -> EmailTemplates {
        guard let folder = Bundle.module.url(forResource: "Templates", withExtension: nil) else {
            throw MissingTemplate(name: "Templates")
        }
        var library = MustacheLibrary()
        let files = try FileManager.default.contentsOfDirectory(at: folder, includingPropertiesForKeys: nil)
        for file in files where file.pathExtension == "mustache" {
            let name = file.deletingPathExtension().lastPathComponent
            try library.register(String(contentsOf: file, encoding: .utf8), named: name)
        }
        return EmailTemplates(library: library)
    }

    /// Renders the template `name` with `context`.
    func render(_ name: String, _ context: [String: Any]) throws -> String {
        guard let text = library.render(context, withTemplate: name) else { throw MissingTemplate(name: name) }
        return text
    }
}

/// A template the notifier needs is not in the bundle.
struct MissingTemplate: Error, CustomStringConvertible {
    var name: String
    var description: String { "email template \(name) is missing" }
}

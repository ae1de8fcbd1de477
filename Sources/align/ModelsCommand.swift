import AlignEngine
import ArgumentParser

/// `align models`: what `model(...)` can load on this machine, offline.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "List the models `model(...)` can load here: built-in aliases and the local Hugging Face cache.")

    func run() throws {
        let resolver = ModelResolver()
        let models = resolver.listResolvable()
        let width = models.map(\.name.count).max() ?? 0
        for m in models {
            let pad = String(repeating: " ", count: max(0, width - m.name.count))
            print("\(m.available ? " " : "!") \(m.name)\(pad)  \(m.detail)")
        }
        print("hub caches searched: " + (resolver.hubCaches.isEmpty ? "none" : resolver.hubCaches.joined(separator: ", ")))
    }
}

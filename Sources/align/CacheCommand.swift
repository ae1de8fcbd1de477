import ArgumentParser
import AlignRuntime

/// `align cache info|clear`: the result cache of model calls shared by all runs.
struct CacheCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "cache",
        abstract: "Show or clear the result cache of model calls.",
        discussion: "The cache is ${XDG_CACHE_HOME:-~/.cache}/align/cache.sqlite; `align run --no-cache` bypasses it.",
        subcommands: [Info.self, Clear.self],
        defaultSubcommand: Info.self)

    struct Info: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Entries, size on disk and path of the cache.")

        func run() throws {
            let cache = try CacheCommand.open()
            do {
                let (entries, bytes) = try cache.info()
                print("path     \(cache.path)")
                print("entries  \(entries)")
                print("size     \(CacheCommand.size(bytes))")
            } catch {
                Terminal().error(error.description)
                throw ExitCode(Sysexits.dataError)
            }
        }
    }

    struct Clear: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Delete every cached result.")

        func run() throws {
            let cache = try CacheCommand.open()
            do {
                let removed = try cache.clear()
                print("removed \(removed) entr\(removed == 1 ? "y" : "ies") from \(cache.path)")
            } catch {
                Terminal().error(error.description)
                throw ExitCode(Sysexits.dataError)
            }
        }
    }

    static func open() throws -> ResultCache {
        do {
            return try ResultCache()
        } catch {
            Terminal().error(error.description)
            throw ExitCode(Sysexits.dataError)
        }
    }

    /// `12.3 MB`, `4.0 KB`, `512 B`.
    static func size(_ bytes: Int) -> String {
        let units = ["B", "KB", "MB", "GB", "TB"]
        var value = Double(bytes)
        var unit = 0
        while value >= 1024 && unit < units.count - 1 {
            value /= 1024
            unit += 1
        }
        if unit == 0 { return "\(bytes) B" }
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10) \(units[unit])"
    }
}

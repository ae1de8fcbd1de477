import AlignRuntime
import AlignSyntax

/// What a `:` command did.
public enum MagicOutcome {
    /// Text to print.
    case text(String)
    /// A cell ran (`:load`, `:time`); `elapsed` is set for `:time`, in seconds.
    case ran(Session.Execution, elapsed: Double?)
    /// The command could not be done; the message says why.
    case failed(String)
    case quit
}

extension Session {
    /// Runs one `:` command line.
    public func runMagic(_ line: String) -> MagicOutcome {
        guard let parsed = Magic.parse(line) else { return .failed("not a command: \(line)") }
        let name = parsed.name, argument = parsed.argument
        guard let magic = Magic(rawValue: name) else {
            let hint = closestMagic(to: name).map { " (did you mean `:\($0)`?)" } ?? ""
            return .failed("unknown command `:\(name)`\(hint); `:help` lists them")
        }
        let needsArgument: Set<Magic> = [.load, .save, .export, .time]
        if needsArgument.contains(magic) && argument.isEmpty { return .failed("usage: \(magic.usage)") }
        switch magic {
        case .help: return .text(help(argument))
        case .load: return load(argument)
        case .save: return save(argument)
        case .export: return export(argument)
        case .models: return .text(modelsListing())
        case .objectives: return .text(objectivesListing())
        case .vars: return .text(variablesListing())
        case .time:
            let clock = ContinuousClock()
            let start = clock.now
            let execution = execute(argument)
            let elapsed = clock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            return .ran(execution, elapsed: seconds)
        case .reset:
            reset()
            return .text("all names forgotten")
        case .quit: return .quit
        }
    }

    private func closestMagic(to name: String) -> String? {
        Magic.allCases.map(\.rawValue).first { $0.hasPrefix(name) || name.hasPrefix($0) }
    }

    private func load(_ path: String) -> MagicOutcome {
        let resolved = DataFile.resolve(path, relativeTo: options.scriptDirectory)
        do {
            let text = try SourceFiles.read(resolved)
            return .ran(execute(text, path: resolved), elapsed: nil)
        } catch {
            return .failed("\(error)")
        }
    }

    private func save(_ path: String) -> MagicOutcome {
        let kept = cells[firstCellSinceReset...].filter(\.succeeded)
        let script = PercentScript.render(kept.map(\.source))
        return write(script, to: path, done: "saved \(kept.count) cell\(kept.count == 1 ? "" : "s") to \(path)")
    }

    private func export(_ path: String) -> MagicOutcome {
        let notebook = Notebook(session: cells)
        let text: String
        if path.hasSuffix(".ipynb") {
            text = notebook.ipynbText()
        } else if path.hasSuffix(".md") || path.hasSuffix(".markdown") {
            text = notebook.markdownText()
        } else {
            return .failed("cannot tell the format of `\(path)`: name it FILE.ipynb or FILE.md")
        }
        return write(text, to: path, done: "exported \(cells.count) cell\(cells.count == 1 ? "" : "s") to \(path)")
    }

    private func write(_ text: String, to path: String, done: String) -> MagicOutcome {
        let resolved = DataFile.resolve(path, relativeTo: options.scriptDirectory)
        do {
            try DataFile.writeAtomically(Array(text.utf8), to: resolved)
            return .text(done)
        } catch let e as DataIOError {
            return .failed(e.description)
        } catch {
            return .failed("cannot write `\(path)`: \(error)")
        }
    }
}

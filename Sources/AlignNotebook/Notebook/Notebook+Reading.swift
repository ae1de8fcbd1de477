import AlignRuntime

/// Reading `.ipynb` files (nbformat 4, any minor version). Outputs are read for `--to md`;
/// running a notebook replaces them.
extension Notebook {
    public static func read(_ path: String) throws -> Notebook {
        let root: Value
        do {
            root = try JSON.parse(DataFile.readBytes(path), path: path)
        } catch let e as DataIOError {
            throw NotebookError.unreadable(path: path, message: e.message + (e.line.map { " (line \($0))" } ?? ""))
        } catch {
            throw NotebookError.unreadable(path: path, message: "\(error)")
        }
        return try parse(root, path: path)
    }

    static func parse(_ root: Value, path: String) throws -> Notebook {
        func bad(_ place: String, _ message: String) -> NotebookError {
            .malformed(path: path, place: place, message: message)
        }
        guard case .record(let top) = root else { throw bad("top level", "expected a JSON object, found \(root.typeName)") }
        guard case .int(let major)? = top["nbformat"] else { throw bad("nbformat", "missing or not an integer") }
        guard major == 4 else {
            throw NotebookError.unsupportedFormat(path: path, message: "nbformat \(major) is not supported (only 4; convert with `jupyter nbconvert --to notebook`)")
        }
        guard case .list(let rawCells)? = top["cells"] else { throw bad("cells", "missing or not a list") }
        var metadata = Notebook.defaultMetadata
        if case .record(let m)? = top["metadata"] { metadata = m }
        var cells: [Cell] = []
        var usedIDs = Set<String>()
        for (k, raw) in rawCells.enumerated() {
            let place = "cells[\(k)]"
            guard case .record(let c) = raw else { throw bad(place, "expected an object, found \(raw.typeName)") }
            guard case .string(let type)? = c["cell_type"] else { throw bad(place + ".cell_type", "missing or not a string") }
            guard let kind = Kind(rawValue: type) else { throw bad(place + ".cell_type", "unknown cell type `\(type)`") }
            let source = try text(c["source"], place + ".source", bad)
            var id = "cell-\(k + 1)"
            if case .string(let given)? = c["id"], isValidID(given) { id = given }
            while !usedIDs.insert(id).inserted { id += "-\(k + 1)" }
            var cell = Cell(kind: kind, source: source, id: id)
            if case .record(let m)? = c["metadata"] { cell.metadata = m }
            if case .int(let n)? = c["execution_count"] { cell.executionCount = n }
            if case .list(let outs)? = c["outputs"] {
                cell.outputs = try outs.enumerated().compactMap { j, o in try output(o, "\(place).outputs[\(j)]", bad) }
            }
            cells.append(cell)
        }
        return Notebook(cells: cells, metadata: metadata)
    }

    static func isValidID(_ id: String) -> Bool {
        (1...64).contains(id.count) && id.allSatisfy { ($0.isASCII && ($0.isLetter || $0.isNumber)) || $0 == "-" || $0 == "_" }
    }

    /// nbformat multi-line text: a string or a list of strings.
    private static func text(_ value: Value?, _ place: String, _ bad: (String, String) -> NotebookError) throws -> String {
        switch value {
        case .string(let s)?: return s
        case .list(let parts)?:
            var out = ""
            for (k, p) in parts.enumerated() {
                guard case .string(let s) = p else { throw bad("\(place)[\(k)]", "expected a string, found \(p.typeName)") }
                out += s
            }
            return out
        case nil: throw bad(place, "missing")
        case let other?: throw bad(place, "expected a string or a list of strings, found \(other.typeName)")
        }
    }

    private static func output(_ raw: Value, _ place: String, _ bad: (String, String) -> NotebookError) throws -> CellOutput? {
        guard case .record(let o) = raw, case .string(let type)? = o["output_type"] else {
            throw bad(place, "expected an object with an `output_type`")
        }
        switch type {
        case "stream":
            let text = try text(o["text"], place + ".text", bad)
            if case .string("stderr")? = o["name"] { return .stderr(text) }
            return .stdout(text)
        case "execute_result", "display_data":
            guard case .record(let data)? = o["data"], let plain = data["text/plain"] else { return nil }
            return .result(try text(plain, place + ".data.text/plain", bad))
        case "error":
            var message = ""
            if case .string(let v)? = o["evalue"] { message = v }
            var rendered = message
            if case .list(let lines)? = o["traceback"] { rendered = lines.map(\.displayString).joined(separator: "\n") }
            return .error(message: message, rendered: rendered)
        default:
            throw bad(place + ".output_type", "unknown output type `\(type)`")
        }
    }
}

/// `read` and `write`: data files in and out of scripts. Relative paths resolve against the
/// script's folder, so a script works from any working directory.
extension Builtins {
    static var data: [Builtin] {
        [
            Builtin("read", [.init("path"), .init("format", optional: true), .init("types", optional: true)],
                    doc: "Reads a CSV, TSV, JSONL or JSON file (format from the extension or `format:`). CSV/TSV/JSONL give a table; a JSON array of objects a table, a JSON object a record. CSV cells stay strings (empty cells `null`) unless `types: \"infer\"`. `read(\"data/DR.csv\")`") { call in
                let path = try call.string(0, "path")
                let types = try call.optionalString(2, "types") ?? "string"
                guard types == "string" || types == "infer" else {
                    throw call.error(argument: 2, "unknown `types` \(Value.quote(types))", help: "use \"string\" (the default) or \"infer\"")
                }
                do {
                    let format = try DataFile.format(of: path, explicit: try call.optionalString(1, "format"))
                    let resolved = DataFile.resolve(path, relativeTo: call.services.scriptDirectory)
                    return try DataFile.load(resolved, format: format, inferTypes: types == "infer")
                } catch let e as DataIOError {
                    throw call.error(argument: 0, e.description)
                }
            },
            Builtin("write", [.init("value"), .init("path")],
                    doc: "Writes a table, list of records or record as CSV/TSV, a table or list as JSONL (one per line), or any value as JSON, chosen by the extension; atomically (the file is whole or untouched). The folder must exist. `write(study, \"out/study.csv\")`") { call in
                let value = try call.argument(0)
                let path = try call.string(1, "path")
                do {
                    let format = try DataFile.format(of: path, explicit: nil)
                    let resolved = DataFile.resolve(path, relativeTo: call.services.scriptDirectory)
                    let text = try DataFile.encode(value, as: format, path: path)
                    try DataFile.writeAtomically(Array(text.utf8), to: resolved)
                    return .null
                } catch let e as DataIOError {
                    throw call.error(argument: 1, e.description)
                } catch let e as JSONEncodingError {
                    throw call.error(argument: 0, e.message)
                }
            },
        ]
    }
}

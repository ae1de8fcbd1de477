#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reading and writing data files for `read` and `write`: picking the format, resolving paths
/// against the script's folder, and writing atomically.
public enum DataFile {
    public enum Format: String, CaseIterable, Sendable {
        case csv, tsv, jsonl, json
    }

    /// The format named by `explicit` (`"csv"`, …), else the one the file extension implies
    /// (`.ndjson` counts as JSONL).
    public static func format(of path: String, explicit: String?) throws -> Format {
        if let explicit {
            guard let f = Format(rawValue: explicit.lowercased()) else {
                let known = Format.allCases.map(\.rawValue).joined(separator: ", ")
                throw DataIOError(path: path, "unknown format `\(explicit)` (known: \(known))")
            }
            return f
        }
        let name = path.split(separator: "/").last.map(String.init) ?? path
        let ext = name.contains(".") ? String(name.split(separator: ".").last ?? "").lowercased() : ""
        switch ext {
        case "csv": return .csv
        case "tsv", "tab": return .tsv
        case "jsonl", "ndjson": return .jsonl
        case "json": return .json
        default:
            throw DataIOError(path: path, ext.isEmpty
                ? "cannot tell the format of a file without an extension; pass format: \"csv\", \"tsv\", \"jsonl\" or \"json\""
                : "unknown file extension `.\(ext)`; pass format: \"csv\", \"tsv\", \"jsonl\" or \"json\"")
        }
    }

    /// `path` made absolute: `~/` expands to `$HOME`, relative paths join `directory`.
    public static func resolve(_ path: String, relativeTo directory: String) -> String {
        if path.hasPrefix("/") { return path }
        if path == "~" || path.hasPrefix("~/"), let home = getenv("HOME").map({ String(cString: $0) }) {
            return home + path.dropFirst()
        }
        if directory.isEmpty { return path }
        return directory.hasSuffix("/") ? directory + path : directory + "/" + path
    }

    /// The value a data file holds: a table for CSV, TSV, JSONL of objects and a JSON array of
    /// objects; a record for a JSON object; otherwise the JSON value itself.
    public static func load(_ path: String, format: Format, inferTypes: Bool = false) throws -> Value {
        let bytes = try readBytes(path)
        switch format {
        case .csv: return .table(try CSV.read(bytes, path: path, inferTypes: inferTypes))
        case .tsv: return .table(try CSV.read(bytes, path: path, delimiter: UInt8(ascii: "\t"), inferTypes: inferTypes))
        case .jsonl:
            var rows: [Record] = []
            for (line, value) in try JSONL.parseLines(bytes, path: path) {
                guard case .record(let r) = value else {
                    throw DataIOError(path: path, line: line,
                                      "expected a JSON object on every line, found \(value.typeName)")
                }
                rows.append(r)
            }
            return .table(Table(rows: rows))
        case .json:
            let value = try JSON.parse(bytes, path: path)
            guard case .list(let items) = value else { return value }
            var rows: [Record] = []
            for item in items {
                guard case .record(let r) = item else { return value }
                rows.append(r)
            }
            return .table(Table(rows: rows))
        }
    }

    /// The file contents for `value` in `format`. CSV/TSV take a table, a list of records or
    /// one record (one row); JSONL writes a table or list one element per line; JSON takes any
    /// value and is indented by two spaces.
    public static func encode(_ value: Value, as format: Format, path: String) throws -> String {
        switch format {
        case .csv, .tsv:
            let table = try tableForCSV(value, path: path)
            return try CSV.encode(table, delimiter: format == .tsv ? "\t" : ",")
        case .jsonl:
            switch value {
            case .table(let t): return try JSONL.encode(t.rows.map(Value.record))
            case .list(let items): return try JSONL.encode(items)
            default: return try JSONL.encode([value])
            }
        case .json:
            return try JSON.encode(value, indent: 2) + "\n"
        }
    }

    private static func tableForCSV(_ value: Value, path: String) throws -> Table {
        switch value {
        case .table(let t): return t
        case .record(let r): return Table(rows: [r])
        case .list(let items):
            var rows: [Record] = []
            for item in items {
                guard case .record(let r) = item else {
                    throw DataIOError(path: path, "CSV needs a table or a list of records, found a list containing \(item.typeName)")
                }
                rows.append(r)
            }
            return Table(rows: rows)
        default:
            throw DataIOError(path: path, "CSV needs a table or a list of records, found \(value.typeName)")
        }
    }
}

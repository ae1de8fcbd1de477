/// Reads CSV text the way the seed repositories' files need: RFC 4180 with pandas' defaults.
///
/// * Fields may be quoted; a quote inside a quoted field is doubled (`""`). Quoted fields may
///   hold delimiters, CR and LF. **Backslashes are literal** — the seed files were written with a
///   backslash escape character but always read back without one, so `\\` stays two characters.
/// * A UTF-8 byte order mark is dropped; records end at LF, CRLF or a lone CR; the final line
///   ending is optional; empty lines between records are skipped (pandas `skip_blank_lines`).
/// * Empty cells, quoted or not, read as `null`, as pandas reads them as NaN. Other text such as
///   `NA` or `nan` stays a string (pandas would turn it into NaN too; we keep the text).
/// * The first record is the header. An empty header name becomes `Unnamed: i` and duplicate
///   names get pandas' `name.1`, `name.2` suffixes.
/// * A row shorter than the header is padded with `null` (pandas does the same); a longer row
///   is an error naming its line (pandas: "Expected N fields in line L, saw M").
/// * A quote in the middle of an unquoted field, or text after a closing quote, is kept
///   literally, as pandas' C parser does.
///
/// Matches: pandas 2.x `read_csv` defaults (C engine) for the cases above.
public enum CSV {
    /// One parsed record: the line it starts on and its fields (`nil` for an empty cell).
    struct Record {
        let line: Int
        let fields: [String?]
    }

    /// Parses CSV bytes into a table of strings (or of inferred types, see `CSV.inferTypes`).
    public static func read(_ bytes: [UInt8], path: String, delimiter: UInt8 = UInt8(ascii: ","),
                            inferTypes: Bool = false) throws -> Table {
        let records = try parseRecords(bytes, path: path, delimiter: delimiter)
        guard let header = records.first else { return Table() }
        let names = columnNames(header.fields)
        var columns = [[Value]](repeating: [], count: names.count)
        for c in columns.indices { columns[c].reserveCapacity(records.count - 1) }
        for record in records.dropFirst() {
            guard record.fields.count <= names.count else {
                throw DataIOError(path: path, line: record.line,
                                  "expected \(names.count) fields as in the header, found \(record.fields.count)")
            }
            for c in 0..<names.count {
                let cell = c < record.fields.count ? record.fields[c] : nil
                columns[c].append(cell.map(Value.string) ?? .null)
            }
        }
        if inferTypes { columns = columns.map(inferColumnType) }
        return Table(columnNames: names, columns: columns)
    }

    /// Header names with pandas' rules for empty and duplicate names: the second `a` becomes
    /// `a.1` (or `a.2` when `a.1` is already a header name), named columns keep their names
    /// before unnamed ones are numbered.
    /// Matches: pandas `io.common.mangle_dupe_names` (the `read_csv` header mangling).
    static func columnNames(_ fields: [String?]) -> [String] {
        var names = fields.enumerated().map { $0.element ?? "Unnamed: \($0.offset)" }
        let taken = Set(names)
        let order = fields.indices.filter { fields[$0] != nil } + fields.indices.filter { fields[$0] == nil }
        var counts: [String: Int] = [:]
        for i in order {
            let original = names[i]
            var name = original
            var seen = counts[name, default: 0]
            while seen > 0 {
                counts[original] = seen + 1
                name = "\(original).\(seen)"
                seen = taken.contains(name) ? seen + 1 : counts[name, default: 0]
            }
            names[i] = name
            counts[name] = seen + 1
        }
        return names
    }

    static func parseRecords(_ bytes: [UInt8], path: String, delimiter: UInt8) throws -> [Record] {
        let quote = UInt8(ascii: "\""), lf = UInt8(ascii: "\n"), cr = UInt8(ascii: "\r")
        let n = bytes.count
        var i = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
        var line = 1
        var records: [Record] = []
        func isEnd(_ b: UInt8) -> Bool { b == delimiter || b == lf || b == cr }
        func text(_ raw: ArraySlice<UInt8>, field: Int) throws -> String? {
            if raw.isEmpty { return nil }
            guard let s = String(validating: raw, as: UTF8.self) else {
                throw DataIOError(path: path, line: line, "invalid UTF-8 in field \(field + 1)")
            }
            return s
        }
        while i < n {
            if bytes[i] == lf || bytes[i] == cr {
                i += (bytes[i] == cr && i + 1 < n && bytes[i + 1] == lf) ? 2 : 1
                line += 1
                continue
            }
            let recordLine = line
            var fields: [String?] = []
            while true {
                if i < n && bytes[i] == quote {
                    let openedOn = line
                    var buffer: [UInt8] = []
                    i += 1
                    while true {
                        guard i < n else {
                            throw DataIOError(path: path, line: openedOn,
                                              "unterminated quoted field (the quote opened here is never closed)")
                        }
                        let b = bytes[i]
                        if b == quote {
                            if i + 1 < n && bytes[i + 1] == quote {
                                buffer.append(quote)
                                i += 2
                                continue
                            }
                            i += 1
                            break
                        }
                        if b == lf { line += 1 }
                        buffer.append(b)
                        i += 1
                    }
                    while i < n && !isEnd(bytes[i]) { buffer.append(bytes[i]); i += 1 }
                    fields.append(try text(buffer[...], field: fields.count))
                } else {
                    let start = i
                    while i < n && !isEnd(bytes[i]) { i += 1 }
                    fields.append(try text(bytes[start..<i], field: fields.count))
                }
                if i < n && bytes[i] == delimiter {
                    i += 1
                    continue
                }
                if i < n {
                    i += (bytes[i] == cr && i + 1 < n && bytes[i + 1] == lf) ? 2 : 1
                    line += 1
                }
                break
            }
            records.append(Record(line: recordLine, fields: fields))
        }
        return records
    }
}

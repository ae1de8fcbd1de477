import Foundation
import Testing

/// Paths and readers for the golden files written by `scripts/fixtures/metrics_reference.py`.
enum Fixture {
    /// The repository root, found from this file's path (Tests/AlignMetricsTests/…).
    static let repositoryRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    static func load<Value: Decodable>(_ name: String, as type: Value.Type) throws -> Value {
        let url = repositoryRoot.appendingPathComponent("Tests/AlignMetricsTests/Fixtures/\(name)")
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Value.self, from: Data(contentsOf: url))
    }

    /// Absolute tolerance for values the references compute with the same formulas in float64.
    static let tolerance = 1e-9

    static func expectClose(
        _ actual: Double, _ expected: Double, _ what: @autoclosure () -> String,
        tolerance: Double = Fixture.tolerance, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(abs(actual - expected) <= tolerance, "\(what()): \(actual) vs reference \(expected)", sourceLocation: sourceLocation)
    }

    static func expectClose(
        _ actual: [Double], _ expected: [Double], _ what: @autoclosure () -> String,
        tolerance: Double = Fixture.tolerance, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        #expect(actual.count == expected.count, "\(what()): \(actual.count) values vs \(expected.count)", sourceLocation: sourceLocation)
        for (index, (value, reference)) in zip(actual, expected).enumerated() {
            expectClose(value, reference, "\(what())[\(index)]", tolerance: tolerance, sourceLocation: sourceLocation)
        }
    }
}

/// A minimal RFC-4180 reader for the seed CSVs in tests (the runtime's reader lives in another
/// module): doubled quotes, quoted newlines, no backslash escapes, optional BOM, CRLF rows.
enum SeedCSV {
    static func rows(_ relativePath: String) throws -> [[String: String]] {
        let url = Fixture.repositoryRoot.appendingPathComponent(relativePath)
        var scalars = Array(try String(contentsOf: url, encoding: .utf8).unicodeScalars)
        if scalars.first == "\u{FEFF}" { scalars.removeFirst() }
        let records = parse(scalars)
        guard let header = records.first else { return [] }
        return records.dropFirst().map { record in
            Dictionary(zip(header, record), uniquingKeysWith: { first, _ in first })
        }
    }

    private static func parse(_ scalars: [Unicode.Scalar]) -> [[String]] {
        var records: [[String]] = [], record: [String] = []
        var field = String.UnicodeScalarView()
        var quoted = false, index = 0
        func endField() {
            record.append(String(field))
            field = String.UnicodeScalarView()
        }
        while index < scalars.count {
            let scalar = scalars[index]
            if quoted {
                if scalar == "\"" {
                    if index + 1 < scalars.count, scalars[index + 1] == "\"" {
                        field.append("\"")
                        index += 1
                    } else {
                        quoted = false
                    }
                } else {
                    field.append(scalar)
                }
            } else if scalar == "\"" {
                quoted = true
            } else if scalar == "," {
                endField()
            } else if scalar == "\n" || scalar == "\r" {
                if scalar == "\r", index + 1 < scalars.count, scalars[index + 1] == "\n" { index += 1 }
                endField()
                records.append(record)
                record = []
            } else {
                field.append(scalar)
            }
            index += 1
        }
        if !field.isEmpty || !record.isEmpty {
            endField()
            records.append(record)
        }
        return records
    }
}

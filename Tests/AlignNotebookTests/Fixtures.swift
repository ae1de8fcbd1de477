import AlignRuntime

/// Paths of the committed fixtures and scratch folders for tests.
enum Fixtures {
    static let folder: String = {
        let file = #filePath
        return String(file[..<(file.lastIndex(of: "/") ?? file.endIndex)]) + "/Fixtures"
    }()

    static func path(_ name: String) -> String { folder + "/" + name }

    static func json(_ name: String) throws -> Value {
        try JSON.parse(DataFile.readBytes(path(name)), path: name)
    }

    static var schema: JSONSchema {
        get throws { JSONSchema(root: try json("nbformat.v4.5.schema.json")) }
    }
}

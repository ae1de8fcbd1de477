@testable import AlignNotebook
import AlignRuntime
#if canImport(Glibc)
import Glibc
#endif

/// Sessions and scratch folders for tests.
enum TestSession {
    static func make(width: Int = 80, directory: String = ".", modules: [String] = []) -> Session {
        var options = Session.Options()
        options.displayWidth = width
        options.scriptDirectory = directory
        options.moduleSearch = ModuleSearch(searchPaths: modules, stdlibDirectory: nil)
        return Session(options: options)
    }

    /// A new empty folder under /tmp.
    static func scratchFolder() -> String {
        var template = Array("/tmp/align-notebook-test-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { buffer in buffer.baseAddress.flatMap { mkdtemp($0) } }
        guard let made else { return "/tmp" }
        return String(cString: made)
    }

    static func write(_ text: String, to path: String) throws {
        try DataFile.writeAtomically(Array(text.utf8), to: path)
    }

    static func result(_ cell: Cell) -> String? {
        for case .result(let text) in cell.outputs { return text }
        return nil
    }

    static func stdout(_ cell: Cell) -> String {
        var text = ""
        for case .stdout(let chunk) in cell.outputs { text += chunk }
        return text
    }
}

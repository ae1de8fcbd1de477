import AlignRuntime

/// A Jupyter notebook as align reads and writes it (nbformat 4.5): code cells with their
/// execution counts and outputs, markdown and raw cells kept as they are, and the notebook's
/// metadata carried through unchanged.
public struct Notebook: Sendable {
    public enum Kind: String, Sendable {
        case code, markdown, raw
    }

    public struct Cell: Sendable {
        public var kind: Kind
        public var source: String
        /// nbformat 4.5 cell id (`^[a-zA-Z0-9-_]+$`, 1–64 characters).
        public var id: String
        public var executionCount: Int?
        public var outputs: [CellOutput]
        /// The cell's own metadata, kept from the file it was read from.
        public var metadata: Record

        public init(kind: Kind, source: String, id: String, executionCount: Int? = nil,
                    outputs: [CellOutput] = [], metadata: Record = Record()) {
            self.kind = kind
            self.source = source
            self.id = id
            self.executionCount = executionCount
            self.outputs = outputs
            self.metadata = metadata
        }
    }

    public var cells: [Cell]
    public var metadata: Record

    public init(cells: [Cell], metadata: Record = Notebook.defaultMetadata) {
        self.cells = cells
        self.metadata = metadata
    }

    /// A REPL session's cells, in the order they ran.
    public init(session cells: [AlignNotebook.Cell]) {
        self.init(cells: cells.enumerated().map { k, cell in
            Cell(kind: .code, source: cell.source, id: "cell-\(k + 1)", executionCount: cell.number, outputs: cell.outputs)
        })
    }

    /// Says which language the cells are in, so Jupyter tools label and highlight them.
    public static var defaultMetadata: Record {
        Record([
            ("kernelspec", .record(Record([("display_name", .string("align")), ("language", .string("align")),
                                            ("name", .string("align"))]))),
            ("language_info", .record(Record([("file_extension", .string(".align")), ("mimetype", .string("text/x-align")),
                                               ("name", .string("align"))]))),
        ])
    }
}

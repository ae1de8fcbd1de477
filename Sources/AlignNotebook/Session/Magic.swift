/// The REPL's `:` commands, one entry each with the usage and summary `:help` prints.
public enum Magic: String, CaseIterable, Sendable {
    case help, load, save, export, models, objectives, vars, time, reset, quit

    public var usage: String {
        switch self {
        case .help: ":help [NAME]"
        case .load: ":load FILE"
        case .save: ":save FILE.align"
        case .export: ":export FILE.ipynb | FILE.md"
        case .models: ":models"
        case .objectives: ":objectives"
        case .vars: ":vars"
        case .time: ":time EXPR"
        case .reset: ":reset"
        case .quit: ":quit"
        }
    }

    public var summary: String {
        switch self {
        case .help: "list the commands, or show a built-in's, function's or name's signature and docs"
        case .load: "run a .align file as the next cell"
        case .save: "write the cells that succeeded since the last :reset as a script (# %% between cells)"
        case .export: "write every cell and its outputs as a Jupyter notebook (nbformat 4) or Markdown"
        case .models: "models bound in this session and the models `model(…)` can load here"
        case .objectives: "objectives defined in this session, in imported modules and in the stdlib"
        case .vars: "the names defined in this session with their types"
        case .time: "run EXPR as a cell and print how long it took"
        case .reset: "forget every name (cell numbers go on)"
        case .quit: "leave the REPL (Ctrl-D does too)"
        }
    }

    /// `:name rest` split into the magic and its argument; nil when `line` is not a magic.
    static func parse(_ line: String) -> (name: String, argument: String)? {
        let trimmed = line.drop { $0 == " " || $0 == "\t" }
        guard trimmed.hasPrefix(":") else { return nil }
        let body = trimmed.dropFirst()
        let name = body.prefix { $0 != " " && $0 != "\t" }
        let argument = body.dropFirst(name.count).trimmingSpaces()
        return (String(name), argument)
    }
}

extension Substring {
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}

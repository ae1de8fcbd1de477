/// Errors raised by the engine. Every case names the file or thing at fault so the language can
/// show a diagnostic such as `model.gguf: tensor 'blk.0.attn_q.weight' lies outside the file`.
public enum EngineError: Error, CustomStringConvertible, Sendable {
    /// A problem with a file's bytes or structure: (path, what is wrong).
    case file(String, String)
    /// A model that was asked for but cannot be found: (what was asked, where we looked).
    case notFound(String, [String])
    /// A feature the checkpoint needs that the engine does not provide.
    case unsupported(String)
    /// A bad request from the caller (bad sampler setting, too long prompt, …).
    case invalidArgument(String)
    /// The computation was interrupted (Ctrl-C).
    case cancelled

    public var description: String {
        switch self {
        case .file(let path, let message): return "\(path): \(message)"
        case .notFound(let what, let places):
            return places.isEmpty ? "cannot find \(what)"
                : "cannot find \(what); looked in: " + places.joined(separator: ", ")
        case .unsupported(let message): return "unsupported: \(message)"
        case .invalidArgument(let message): return message
        case .cancelled: return "cancelled"
        }
    }
}

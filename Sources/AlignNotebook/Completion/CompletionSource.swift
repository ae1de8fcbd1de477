import AlignRuntime

/// What completion may ask of the session: names and their current values, and where files
/// and modules are looked up.
public protocol CompletionSource {
    var globalNames: [String] { get }
    var builtinNames: [String] { get }
    func value(of name: String) -> Value?
    /// Folder that relative paths in string literals resolve against.
    var workingDirectory: String { get }
    /// Folders searched by `import` (script folder, `ALIGN_PATH`, stdlib).
    var moduleFolders: [String] { get }
}

extension Session: CompletionSource {
    public var globalNames: [String] { interpreter.globalNames }
    public var builtinNames: [String] { interpreter.builtinNames }
    public func value(of name: String) -> Value? { interpreter.globalValue(name) }
    public var workingDirectory: String { options.scriptDirectory }
    public var moduleFolders: [String] { options.moduleSearch.folders(from: options.scriptDirectory) }
}

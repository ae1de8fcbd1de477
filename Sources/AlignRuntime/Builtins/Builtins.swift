/// The registry of built-in functions, one family per file in this folder.
public enum Builtins {
    /// Every built-in, in the order `:help` lists them.
    public static var all: [Builtin] { [] }
}

import AlignSyntax

/// The registry of built-in functions, one family per file in this folder. The model built-ins
/// (`model`, `generate`, `align`, …) and `assert` are registered by their own families.
public enum Builtins {
    /// Every built-in, in the order `:help` lists them.
    public static var all: [Builtin] {
        output + collections + functional + strings + formatting + numbers + conversions + tables + data + ModelBuiltins.all
            + evaluation
    }

    /// A did-you-mean suggestion among `candidates`, phrased for `help:`.
    static func didYouMean(_ name: String, among candidates: [String]) -> String? {
        Suggestion.closest(to: name, among: candidates).map { "did you mean `\($0)`?" }
    }
}

/// The general-purpose families (everything but models and evaluation), the set that
/// `docs/builtins.md` documents one by one.
extension Builtins {
    static var general: [Builtin] {
        output + collections + functional + strings + formatting + numbers + conversions + tables + data
    }
}

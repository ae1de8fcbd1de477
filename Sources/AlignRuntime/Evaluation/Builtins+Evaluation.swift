/// The evaluation family: IMHI rule labelling and classification metrics, judging helpers and
/// study folders. Every entry needs no model; `stdlib/imhi.align` and `stdlib/judge.align` combine
/// them with the model built-ins. Documented in `docs/studies.md`.
extension Builtins {
    static var evaluation: [Builtin] {
        imhi + judging + studyFolders
    }
}

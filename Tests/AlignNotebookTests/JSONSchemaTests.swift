import AlignRuntime
import Testing

/// The schema checker used on align's exports agrees with nbformat's validator.
@Suite struct JSONSchemaTests {
    @Test func agreesWithNbformatOnEveryCase() throws {
        let schema = try Fixtures.schema
        guard case .record(let root) = try Fixtures.json("nbformat_cases.json"), case .list(let cases)? = root["cases"] else {
            Issue.record("nbformat_cases.json has no cases")
            return
        }
        #expect(cases.count >= 20)
        for case .record(let c) in cases {
            guard case .string(let name)? = c["name"], case .bool(let valid)? = c["valid"], let notebook = c["notebook"] else {
                Issue.record("malformed case \(c)")
                continue
            }
            let errors = schema.errors(notebook)
            #expect(errors.isEmpty == valid, "case \(name): nbformat says valid=\(valid), checker found \(errors)")
        }
    }
}

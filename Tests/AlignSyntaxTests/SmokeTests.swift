import Testing
@testable import AlignSyntax

@Test func moduleLinks() {
    #expect(Bool(true))
}

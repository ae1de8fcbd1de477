import Testing
@testable import AlignNotebook

@Test func moduleLinks() {
    #expect(Bool(true))
}

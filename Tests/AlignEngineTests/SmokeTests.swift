import Testing
@testable import AlignEngine

@Test func moduleLinks() {
    #expect(Bool(true))
}

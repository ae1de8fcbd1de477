import Testing
@testable import AlignRuntime

@Test func moduleLinks() {
    #expect(Bool(true))
}

import Testing
@testable import AlignMetrics

@Test func moduleLinks() {
    #expect(Bool(true))
}

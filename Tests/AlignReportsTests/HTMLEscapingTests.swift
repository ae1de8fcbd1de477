import Testing
@testable import AlignReports

@Suite struct HTMLEscapingTests {
    @Test func markupCharactersAreEscaped() {
        #expect(HTML.escape("<script>alert('x')</script> & \"q\"")
                == "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;")
    }

    @Test func plainAndUnicodeTextIsKept() {
        #expect(HTML.escape("héllo — 你好 😀\tline\nnext") == "héllo — 你好 😀\tline\nnext")
    }

    @Test func controlCharactersBecomeReplacementCharacters() {
        #expect(HTML.escape("a\u{00}b\u{1B}c\u{7F}") == "a\u{FFFD}b\u{FFFD}c\u{FFFD}")
    }

    @Test func escapingAnEscapedTextEscapesAgain() {
        #expect(HTML.escape("&amp;") == "&amp;amp;")
    }
}

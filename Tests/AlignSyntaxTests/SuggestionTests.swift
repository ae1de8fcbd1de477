import Testing
import AlignSyntax

@Suite struct SuggestionTests {
    let columns = ["query", "generated_text", "goldens", "label", "post"]

    @Test func transpositionsAndTyposFindTheColumn() {
        #expect(Suggestion.closest(to: "qeury", among: columns) == "query")
        #expect(Suggestion.closest(to: "quer", among: columns) == "query")
        #expect(Suggestion.closest(to: "generatd_txt", among: columns) == "generated_text")
        #expect(Suggestion.closest(to: "lable", among: columns) == "label")
    }

    @Test func caseInsensitiveMatchWins() {
        #expect(Suggestion.closest(to: "Query", among: ["Quer", "query"]) == "query")
        #expect(Suggestion.closest(to: "HH_RLHF", among: ["hh_rlhf", "HH_RLHG"]) == "hh_rlhf")
    }

    @Test func farOrTinyNamesGetNoSuggestion() {
        #expect(Suggestion.closest(to: "banana", among: columns) == nil)
        #expect(Suggestion.closest(to: "x", among: ["y", "z"]) == nil)
        #expect(Suggestion.closest(to: "", among: columns) == nil)
        #expect(Suggestion.closest(to: "query", among: ["query"]) == nil)
        #expect(Suggestion.closest(to: "qry", among: [String]()) == nil)
    }

    @Test func tiesAreBrokenAlphabetically() {
        #expect(Suggestion.closest(to: "cat", among: ["cot", "bat"]) == "bat")
        #expect(Suggestion.closest(to: "cat", among: ["bat", "cot"]) == "bat")
    }

    @Test func longerNamesAllowMoreEdits() {
        #expect(Suggestion.closest(to: "max_tokns", among: ["max_tokens", "seed"]) == "max_tokens")
        #expect(Suggestion.closest(to: "tempratur", among: ["temperature"]) == "temperature")
        #expect(Suggestion.closest(to: "tmpratur", among: ["temperature"]) == nil)
    }
}

import ArgumentParser
import AlignRuntime

@main
struct AlignCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "align",
        abstract: "A notebook-style language for multi-objective alignment and interpretable evaluation.",
        version: "0.1.0")
}

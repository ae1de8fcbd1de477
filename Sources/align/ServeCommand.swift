import AlignServe
import ArgumentParser
import Foundation

/// `align serve --model M`: the engine behind an OpenAI-compatible HTTP API.
struct ServeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Serve a model over an OpenAI-compatible HTTP API (/v1/completions, /v1/chat/completions, /v1/models, /health).",
        discussion: """
        Concurrent requests are decoded together (continuous batching). Binds 127.0.0.1 unless --host says otherwise; \
        prints the URL on stderr when ready; SIGINT/SIGTERM stop it after running requests finish (5 s grace). See docs/serve.md.
        """)

    @Option(help: "The model to serve: an alias (smollm2), a GGUF file or a model folder.")
    var model: String

    @Option(help: "Address to bind (0.0.0.0 exposes the server to the network).")
    var host = "127.0.0.1"

    @Option(help: "Port to listen on (0: any free port; the URL printed says which).")
    var port = 8080

    @Option(name: .customLong("api-key-env"), help: "Require `Authorization: Bearer <key>`, the key read from this environment variable.")
    var apiKeyEnv: String?

    @Option(name: .customLong("max-concurrent"), help: "Sequences decoded together; further requests queue.")
    var maxConcurrent = 32

    @Option(name: .customLong("max-queue"), help: "Sequences allowed to wait for a place in the batch; beyond that requests get 429.")
    var maxQueue = 256

    @Option(name: .customLong("max-body"), help: "Largest request body in bytes (413 beyond).")
    var maxBody = 1 << 20

    @Option(name: .customLong("max-prompt-tokens"), help: "Longest prompt in tokens (400 beyond; default: the model's context).")
    var maxPromptTokens: Int?

    @Option(name: .customLong("max-tokens"), help: "Largest max_tokens a request may ask for (400 beyond).")
    var maxTokens = 1024

    @Option(help: "Worker threads for the model (default: ALIGN_THREADS or all cores).")
    var threads: Int?

    @Option(help: "Context length in tokens (default: the model's trained maximum).")
    var context: Int?

    mutating func run() throws {
        var options = AlignServer.Options(model: model)
        options.host = host
        options.port = port
        options.maxConcurrent = maxConcurrent
        options.maxQueued = maxQueue
        options.maxBodyBytes = maxBody
        options.maxPromptTokens = maxPromptTokens
        options.maxTokens = maxTokens
        options.threads = threads
        options.context = context
        let terminal = Terminal()
        if let apiKeyEnv {
            guard let key = ProcessInfo.processInfo.environment[apiKeyEnv], !key.isEmpty else {
                terminal.error("--api-key-env \(apiKeyEnv): the environment variable is not set or empty")
                throw ExitCode(Sysexits.usage)
            }
            options.apiKey = key
        }
        let stop = StopRequest()
        stop.installSignalHandlers()
        do {
            try AlignServer.run(options, stop: stop) { line in
                FileHandle.standardError.write(Data((line + "\n").utf8))
            }
        } catch {
            terminal.error(error.description)
            throw ExitCode(Sysexits.usage)
        }
    }
}

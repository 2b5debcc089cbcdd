namespace BookBytes.WebHost.Tests;

/// <summary>A full node: worker on, OpenAI and Open Library faked, SQLite store in a temp file.</summary>
public sealed class WorkerHost() : BookBytesHost();

/// <summary>An API-only node (worker off) on the in-memory store: jobs stay pending.</summary>
public sealed class ApiOnlyHost() : BookBytesHost(worker: false, store: "InMemory");

/// <summary>A node with no LLM/TTS provider configured and no local speech engine found.</summary>
public sealed class NoProvidersHost() : BookBytesHost(providers: false, worker: false, store: "InMemory", settings: NoLocalSpeech);

/// <summary>A full node (worker on) on the in-memory store, which keeps every audiobook field (mode, grounding).</summary>
public sealed class InMemoryWorkerHost() : BookBytesHost(store: "InMemory");

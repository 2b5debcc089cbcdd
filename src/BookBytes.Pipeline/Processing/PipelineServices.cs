using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Throttling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace BookBytes.Pipeline.Processing;

/// <summary>What every step of an audiobook job uses: the stores, the node's throttles, metrics, the clock, options and a logger.</summary>
/// <remarks>One per container; the steps receive it through their constructors.</remarks>
internal sealed class PipelineServices
{
    /// <summary>Initializes the set.</summary>
    /// <param name="books">The audiobook store.</param>
    /// <param name="jobs">The job store (progress).</param>
    /// <param name="throttles">The node's LLM and TTS throttles, shared by all jobs.</param>
    /// <param name="metrics">The metrics.</param>
    /// <param name="time">The clock.</param>
    /// <param name="options">The pipeline options.</param>
    /// <param name="loggerFactory">Makes the logger of audiobook jobs; none when <see langword="null"/>.</param>
    public PipelineServices(
        IAudioBookStore books,
        IJobStore jobs,
        ProviderThrottles throttles,
        BookBytesMetrics metrics,
        TimeProvider time,
        IOptions<BookBytesOptions> options,
        ILoggerFactory? loggerFactory = null)
    {
        Books = books;
        Jobs = jobs;
        Throttles = throttles;
        Metrics = metrics;
        Time = time;
        Options = options.Value;
        Logger = (loggerFactory ?? NullLoggerFactory.Instance).CreateLogger<AudioBookJobHandler>();
    }

    /// <summary>Gets the audiobook store.</summary>
    public IAudioBookStore Books { get; }

    /// <summary>Gets the job store.</summary>
    public IJobStore Jobs { get; }

    /// <summary>Gets the node's throttles.</summary>
    public ProviderThrottles Throttles { get; }

    /// <summary>Gets the metrics.</summary>
    public BookBytesMetrics Metrics { get; }

    /// <summary>Gets the clock.</summary>
    public TimeProvider Time { get; }

    /// <summary>Gets the pipeline options.</summary>
    public BookBytesOptions Options { get; }

    /// <summary>Gets the text this node's chapters have ready to speak and not yet cut into speech calls, shared by all jobs.</summary>
    public SpeechBacklog Backlog { get; } = new();

    /// <summary>Gets the logger of audiobook jobs.</summary>
    public ILogger Logger { get; }
}

using System.Collections.Concurrent;
using System.Text;
using BookBytes.Packaging;

namespace BookBytes.Testing.Fakes;

/// <summary>
/// A packager double that records every request, reads every chapter stream to its end (so a test proves the streams open
/// the stored audio) and writes a temporary file of <see cref="HeaderFor"/> followed by the chapters' bytes in order. Its
/// chapter marks start at the sum of the earlier chapters' durations, measured as the fake speech's MP3 frames last.
/// It can fail (transiently a number of times, or for good) and block until released.
/// </summary>
public sealed class FakeAudioPackager : IAudioPackager
{
    private readonly Lock _gate = new();
    private int _calls;
    private int _transientFailures;
    private TaskCompletionSource? _release;
    private TaskCompletionSource _blocked = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>The length of one of <see cref="Mp3.Silence"/>'s frames, in bytes.</summary>
    public const int Mp3FrameBytes = 417;

    /// <summary>Gets the formats the fake says it makes; both unless changed.</summary>
    public HashSet<PackageFormat> Formats { get; } = [PackageFormat.M4b, PackageFormat.Mp3];

    /// <summary>Gets every request, in the order calls started (failed and blocked ones too).</summary>
    public ConcurrentQueue<PackageRequest> Requests { get; } = new();

    /// <summary>Gets every file made, in order: its format, the chapters' bytes as read, and the temporary file's path.</summary>
    public ConcurrentQueue<FakePackage> Made { get; } = new();

    /// <summary>Gets the number of calls.</summary>
    public int Calls => Volatile.Read(ref _calls);

    /// <summary>Gets or sets how many of the next calls throw a transient <see cref="PackagingException"/>.</summary>
    public int TransientFailures
    {
        get => Volatile.Read(ref _transientFailures);
        set => Volatile.Write(ref _transientFailures, value);
    }

    /// <summary>Gets or sets a value indicating whether every call throws a permanent <see cref="PackagingException"/>.</summary>
    public bool FailsForGood { get; set; }

    /// <summary>Gets a task that completes once a call waits at the gate <see cref="Block"/> closed.</summary>
    public Task Blocked
    {
        get
        {
            lock (_gate)
            {
                return _blocked.Task;
            }
        }
    }

    /// <summary>The first bytes of every file the fake makes: its format's extension and a line feed.</summary>
    /// <param name="format">The format.</param>
    /// <returns>The header.</returns>
    public static byte[] HeaderFor(PackageFormat format) => Encoding.ASCII.GetBytes($"FAKE-{format.GetFileExtension().ToUpperInvariant()}\n");

    /// <summary>How long chapter audio the fake speech made plays: its MP3 frames' duration.</summary>
    /// <param name="bytes">The chapter's length in bytes.</param>
    /// <returns>The duration in seconds.</returns>
    public static double DurationOf(long bytes) => bytes / Mp3FrameBytes * Mp3.FrameSeconds;

    /// <summary>Makes the next calls wait (honouring cancellation) until <see cref="Release"/>.</summary>
    public void Block()
    {
        lock (_gate)
        {
            _release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _blocked = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }

    /// <summary>Lets the waiting and later calls go on.</summary>
    public void Release()
    {
        lock (_gate)
        {
            _release?.TrySetResult();
            _release = null;
        }
    }

    /// <inheritdoc/>
    public bool Supports(PackageFormat format) => Formats.Contains(format);

    /// <inheritdoc/>
    public async Task<PackagedAudio> PackageAsync(PackageRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        Interlocked.Increment(ref _calls);
        Requests.Enqueue(request);
        if (request.Chapters.Count == 0)
        {
            throw new ArgumentException("The request has no chapters.", nameof(request));
        }

        if (!Supports(request.Format))
        {
            throw new ArgumentException($"The fake does not make {request.Format}.", nameof(request));
        }

        if (FailsForGood)
        {
            throw new PackagingException("The encoder rejected the chapters (test).", isTransient: false);
        }

        if (TakeTransientFailure())
        {
            throw new PackagingException("The encoder was killed (test).", isTransient: true);
        }

        Task? release;
        lock (_gate)
        {
            release = _release?.Task;
            if (release is not null)
            {
                _blocked.TrySetResult();
            }
        }

        if (release is not null)
        {
            await release.WaitAsync(cancellationToken);
        }

        var chapters = new List<byte[]>(request.Chapters.Count);
        foreach (var chapter in request.Chapters)
        {
            var stream = await chapter.OpenAsync(cancellationToken);
            await using (stream)
            {
                using var buffer = new MemoryStream();
                await stream.CopyToAsync(buffer, cancellationToken);
                chapters.Add(buffer.ToArray());
            }
        }

        var marks = new List<PackageChapterMark>(chapters.Count);
        var start = 0.0;
        for (var i = 0; i < chapters.Count; i++)
        {
            var seconds = DurationOf(chapters[i].Length);
            marks.Add(new PackageChapterMark(request.Chapters[i].Title, start, seconds));
            start += seconds;
        }

        var path = Path.Combine(Path.GetTempPath(), $"bookbytes-fake-{Guid.NewGuid():N}.{request.Format.GetFileExtension()}");
        try
        {
            var file = new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.None, 4096, useAsync: true);
            await using (file)
            {
                await file.WriteAsync(HeaderFor(request.Format), cancellationToken);
                foreach (var chapter in chapters)
                {
                    await file.WriteAsync(chapter, cancellationToken);
                }
            }
        }
        catch
        {
            // As the contract asks: a cancelled or failed call leaves nothing behind.
            File.Delete(path);
            throw;
        }

        Made.Enqueue(new FakePackage(request.Format, chapters, path));
        return new PackagedAudio(path, request.Format, marks, start);
    }

    private bool TakeTransientFailure()
    {
        int left;
        do
        {
            left = Volatile.Read(ref _transientFailures);
            if (left <= 0)
            {
                return false;
            }
        }
        while (Interlocked.CompareExchange(ref _transientFailures, left - 1, left) != left);

        return true;
    }
}

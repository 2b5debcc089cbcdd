using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using CliWrap;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>
/// ffmpeg or ffprobe, run by argument list and never through a shell, bounded in output. Its caller bounds it in time
/// with the token: on cancellation the program is first asked to stop (SIGINT; ffmpeg stops at once) and its process
/// tree killed when it has not within <see cref="GracePeriod"/>.
/// </summary>
/// <param name="Name">The program's name in messages: <c>ffmpeg</c> or <c>ffprobe</c>.</param>
/// <param name="Path">The full path found.</param>
internal sealed record FfmpegProgram(string Name, string Path)
{
    /// <summary>How the program is installed, for messages.</summary>
    public const string Install = "Debian package ffmpeg: apt-get install ffmpeg";

    /// <summary>How long a cancelled program has to stop before its process tree is killed.</summary>
    public static readonly TimeSpan GracePeriod = TimeSpan.FromSeconds(5);

    private const int MaxErrorBytes = 2048;

    /// <summary>Runs the program with its standard input empty and returns its standard output as UTF-8 text.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process was stopped.</exception>
    /// <exception cref="PackagingException">
    /// The program is not there (not transient); it exited with an error (the end of its standard error; transient only
    /// when it was stopped by a signal from outside); or it wrote more than <paramref name="maxOutputBytes"/> (not transient).
    /// </exception>
    public async Task<string> RunAsync(IReadOnlyList<string> arguments, int maxOutputBytes, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            throw Missing(Name, Path, null);
        }

        using var forceful = new CancellationTokenSource();
        using var overflow = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var escalate = overflow.Token.Register(() => forceful.CancelAfter(GracePeriod));
        var output = new HeadBuffer(maxOutputBytes, overflow.Cancel);
        var error = new TailBuffer(MaxErrorBytes);
        var command = Cli.Wrap(Path)
            .WithArguments(arguments)
            .WithStandardInputPipe(PipeSource.Null)
            .WithStandardOutputPipe(PipeTarget.Create(output.FillAsync))
            .WithStandardErrorPipe(PipeTarget.Create(error.FillAsync))
            .WithValidation(CommandResultValidation.None);
        CommandResult result;
        try
        {
            result = await command.ExecuteAsync(forceful.Token, overflow.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (output.Overflowed && !cancellationToken.IsCancellationRequested)
        {
            throw new PackagingException($"{Name} wrote more than {maxOutputBytes} bytes to its standard output; it was stopped.", isTransient: false);
        }
        catch (Exception ex) when (ex is Win32Exception || ex.InnerException is Win32Exception)
        {
            throw Missing(Name, Path, ex);
        }

        if (result.ExitCode != 0)
        {
            // A program stopped from outside (the out-of-memory killer's SIGKILL, a SIGTERM or SIGINT: ffmpeg then exits
            // with 255) may succeed again; its own crash (SIGSEGV, SIGABRT) or error on these files would happen again.
            throw new PackagingException(
                string.Create(CultureInfo.InvariantCulture, $"{Name} exited with code {result.ExitCode}: {error.Text()}"),
                isTransient: result.ExitCode is 129 or 130 or 137 or 143 or 255);
        }

        return Encoding.UTF8.GetString(output.WrittenSpan);
    }

    /// <summary>The exception for a program that is not at <paramref name="path"/>.</summary>
    public static PackagingException Missing(string name, string? path, Exception? inner)
        => new(path is null
            ? $"{name} was not found ({FfmpegPackagingOptions.SectionName}:{(name == "ffprobe" ? "FfprobePath" : "FfmpegPath")}; {Install})."
            : $"{name} is not at {path} ({Install}).", isTransient: false, inner);

    /// <summary>Keeps the first bytes of a stream up to a limit; past it, calls <c>onOverflow</c> once and stops reading.</summary>
    private sealed class HeadBuffer(int limit, Action onOverflow)
    {
        private readonly ArrayBufferWriter<byte> _buffer = new();

        public bool Overflowed { get; private set; }

        public ReadOnlySpan<byte> WrittenSpan => _buffer.WrittenSpan;

        public async Task FillAsync(Stream source, CancellationToken cancellationToken)
        {
            var chunk = new byte[4096];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (read > limit - _buffer.WrittenCount)
                {
                    Overflowed = true;
                    onOverflow();
                    return;
                }

                _buffer.Write(chunk.AsSpan(0, read));
            }
        }
    }

    /// <summary>Keeps the last bytes of a stream: an encoder's error is at the end of what it wrote.</summary>
    private sealed class TailBuffer(int limit)
    {
        private readonly byte[] _buffer = new byte[limit * 2];
        private int _length;
        private bool _cut;

        public async Task FillAsync(Stream source, CancellationToken cancellationToken)
        {
            var chunk = new byte[4096];
            int read;
            while ((read = await source.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var kept = Math.Min(read, limit);
                if (_length + kept > _buffer.Length)
                {
                    var keep = limit - kept;
                    Buffer.BlockCopy(_buffer, _length - keep, _buffer, 0, keep);
                    _length = keep;
                    _cut = true;
                }

                _cut |= kept < read;
                Buffer.BlockCopy(chunk, read - kept, _buffer, _length, kept);
                _length += kept;
            }
        }

        public string Text()
        {
            var start = Math.Max(0, _length - limit);
            var text = Encoding.UTF8.GetString(_buffer, start, _length - start).Trim();
            return text.Length == 0 ? "(no message)" : (_cut || start > 0 ? "…" : string.Empty) + text.ReplaceLineEndings(" | ");
        }
    }
}

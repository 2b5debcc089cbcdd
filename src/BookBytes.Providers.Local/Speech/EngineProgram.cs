using System.Buffers;
using System.ComponentModel;
using System.Globalization;
using System.Text;
using CliWrap;

namespace BookBytes.Providers.Local.Speech;

/// <summary>
/// One program the speech client runs (an engine or ffmpeg), by argument list and never through a shell, bounded in
/// output; its caller bounds it in time with the token, and CliWrap kills the process tree when the token is cancelled.
/// </summary>
/// <param name="Name">The program's name in messages, for example <c>espeak-ng</c>.</param>
/// <param name="Path">The full path found at discovery.</param>
/// <param name="Install">The Debian package and its install command, for example <c>Debian package flite: apt-get install flite</c>.</param>
internal sealed record EngineProgram(string Name, string Path, string Install)
{
    private const int MaxErrorBytes = 4096;
    private const int MaxErrorLineCharacters = 300;

    /// <summary>Runs the program with <paramref name="input"/> on its standard input and returns its standard output.</summary>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled; the process was killed.</exception>
    /// <exception cref="ProviderConfigurationException">The program is no longer there.</exception>
    /// <exception cref="ProviderResponseException">It exited with an error, or wrote more than <paramref name="maxOutputBytes"/>.</exception>
    public async Task<byte[]> RunAsync(IReadOnlyList<string> arguments, ReadOnlyMemory<byte> input, int maxOutputBytes, CancellationToken cancellationToken)
    {
        if (!File.Exists(Path))
        {
            throw Vanished(null);
        }

        using var kill = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var output = new BoundedBuffer(maxOutputBytes, kill.Cancel);
        var error = new BoundedBuffer(MaxErrorBytes, onOverflow: null);
        var command = Cli.Wrap(Path)
            .WithArguments(arguments)
            .WithStandardInputPipe(PipeSource.FromBytes(input))
            .WithStandardOutputPipe(PipeTarget.Create(output.FillAsync))
            .WithStandardErrorPipe(PipeTarget.Create(error.FillAsync))
            .WithValidation(CommandResultValidation.None);
        CommandResult result;
        try
        {
            result = await command.ExecuteAsync(kill.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (output.Overflowed && !cancellationToken.IsCancellationRequested)
        {
            throw new ProviderResponseException($"{Name} wrote more than {maxOutputBytes} bytes of audio; it was stopped.", isTransient: false);
        }
        catch (Exception ex) when (ex is Win32Exception || ex.InnerException is Win32Exception)
        {
            throw Vanished(ex);
        }

        if (result.ExitCode != 0)
        {
            // A process killed from outside (SIGKILL, e.g. the out-of-memory killer, or SIGTERM) may succeed again; a crash of
            // its own (SIGSEGV, SIGABRT) on this text would crash again.
            throw new ProviderResponseException(
                string.Create(CultureInfo.InvariantCulture, $"{Name} exited with code {result.ExitCode}: {FirstLine(error.ToArray())}"),
                isTransient: result.ExitCode is 137 or 143);
        }

        return output.ToArray();
    }

    private ProviderConfigurationException Vanished(Exception? inner)
        => new($"{Name} is no longer at {Path}, where it was found at start-up ({Install}).", inner);

    private static string FirstLine(byte[] stderr)
    {
        var text = Encoding.UTF8.GetString(stderr);
        var line = text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).FirstOrDefault() ?? "(no message)";
        return line.Length > MaxErrorLineCharacters ? line[..MaxErrorLineCharacters] + "…" : line;
    }

    /// <summary>Keeps the first bytes of a stream up to a limit; past it, calls <c>onOverflow</c> (or drops the rest).</summary>
    private sealed class BoundedBuffer(int limit, Action? onOverflow)
    {
        private readonly ArrayBufferWriter<byte> _stream = new();

        public bool Overflowed { get; private set; }

        public async Task FillAsync(Stream source, CancellationToken cancellationToken)
        {
            var buffer = new byte[81920];
            int read;
            while ((read = await source.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
            {
                var room = limit - _stream.WrittenCount;
                if (read > room)
                {
                    _stream.Write(buffer.AsSpan(0, Math.Max(0, room)));
                    if (!Overflowed)
                    {
                        Overflowed = true;
                        if (onOverflow is not null)
                        {
                            onOverflow();
                            return;
                        }
                    }

                    continue;
                }

                _stream.Write(buffer.AsSpan(0, read));
            }
        }

        public byte[] ToArray() => _stream.WrittenSpan.ToArray();
    }
}

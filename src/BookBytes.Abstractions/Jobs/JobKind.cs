namespace BookBytes.Jobs;

/// <summary>
/// The kind of work a job does; it names the handler that runs the job. BookBytes defines
/// <see cref="AudiobookGeneration"/>, <see cref="AudiobookRefresh"/> and <see cref="AudiobookPackaging"/>; an application may add its own.
/// </summary>
/// <remarks>
/// A kind is 1 to <see cref="MaxLength"/> ASCII letters, digits, <c>.</c>, <c>_</c> or <c>-</c>, compared
/// ordinally. Stores keep it as text, so the names BookBytes uses never change. Immutable; safe to share
/// between threads. <c>default(JobKind)</c> is not valid: its <see cref="Value"/> is empty.
/// </remarks>
public readonly struct JobKind : IEquatable<JobKind>
{
    /// <summary>The longest kind accepted, in characters.</summary>
    public const int MaxLength = 64;

    private readonly string? _value;

    /// <summary>Initializes a kind.</summary>
    /// <param name="value">The kind's name, for example <c>AudiobookGeneration</c>.</param>
    /// <exception cref="ArgumentException"><paramref name="value"/> is empty, too long, or has a character other than ASCII letters, digits, <c>.</c>, <c>_</c> and <c>-</c>.</exception>
    public JobKind(string value)
    {
        ArgumentException.ThrowIfNullOrEmpty(value);
        if (value.Length > MaxLength || !value.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-'))
        {
            throw new ArgumentException($"A job kind is 1 to {MaxLength} ASCII letters, digits, '.', '_' or '-'; '{value}' is not.", nameof(value));
        }

        _value = value;
    }

    /// <summary>Gets the kind of job that generates an audiobook from scratch (or finishes what an earlier attempt left).</summary>
    public static JobKind AudiobookGeneration { get; } = new("AudiobookGeneration");

    /// <summary>Gets the kind of job that regenerates missing or failed chapters, or a whole new version when forced.</summary>
    public static JobKind AudiobookRefresh { get; } = new("AudiobookRefresh");

    /// <summary>Gets the kind of job that packages an audiobook version's stored chapters into one chaptered M4B and MP3.</summary>
    public static JobKind AudiobookPackaging { get; } = new("AudiobookPackaging");

    /// <summary>Gets the kind's name.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Compares two kinds ordinally.</summary>
    /// <param name="left">The first kind.</param>
    /// <param name="right">The second kind.</param>
    /// <returns><see langword="true"/> when the names are equal.</returns>
    public static bool operator ==(JobKind left, JobKind right) => left.Equals(right);

    /// <summary>Compares two kinds ordinally.</summary>
    /// <param name="left">The first kind.</param>
    /// <param name="right">The second kind.</param>
    /// <returns><see langword="true"/> when the names differ.</returns>
    public static bool operator !=(JobKind left, JobKind right) => !left.Equals(right);

    /// <inheritdoc/>
    public bool Equals(JobKind other) => string.Equals(Value, other.Value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is JobKind other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Value);

    /// <summary>Gets the kind's name.</summary>
    /// <returns><see cref="Value"/>.</returns>
    public override string ToString() => Value;
}

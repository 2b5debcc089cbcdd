using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace BookBytes.Storage;

/// <summary>
/// A validated key of an object in an <see cref="IStorageBackend"/>, such as
/// <c>audiobooks/0190f1d2-.../v1/chapter-001.mp3</c>.
/// </summary>
/// <remarks>
/// A key is 1 to <see cref="MaxLength"/> characters of <c>[a-z0-9/._-]</c>, split by single slashes
/// into segments, none empty and none <c>.</c>; it never contains <c>..</c> and never starts or ends
/// with a slash. Any backend can therefore map it to a path or object name without escaping and
/// without leaving its root. Immutable; safe to share between threads. <c>default(StorageKey)</c>
/// is not valid: its <see cref="Value"/> is empty.
/// </remarks>
public readonly struct StorageKey : IEquatable<StorageKey>, IParsable<StorageKey>
{
    /// <summary>The longest key accepted, in characters.</summary>
    public const int MaxLength = 1024;

    private readonly string? _value;

    private StorageKey(string value) => _value = value;

    /// <summary>Gets the key text.</summary>
    public string Value => _value ?? string.Empty;

    /// <summary>Parses and validates a key.</summary>
    /// <param name="s">The key text.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="s"/> is <see langword="null"/>.</exception>
    /// <exception cref="FormatException">The key is not valid; the message says why.</exception>
    public static StorageKey Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParse(s, out var key, out var error) ? key : throw new FormatException(error);
    }

    /// <summary>Tries to parse and validate a key.</summary>
    /// <param name="s">The key text.</param>
    /// <param name="result">The key, when valid.</param>
    /// <returns><see langword="true"/> when the key is valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out StorageKey result) => TryParse(s, out result, out _);

    /// <summary>Tries to parse and validate a key, and says why it is invalid.</summary>
    /// <param name="s">The key text.</param>
    /// <param name="result">The key, when valid.</param>
    /// <param name="error">Why the key is invalid, when it is.</param>
    /// <returns><see langword="true"/> when the key is valid.</returns>
    public static bool TryParse([NotNullWhen(true)] string? s, out StorageKey result, [NotNullWhen(false)] out string? error)
    {
        result = default;
        error = Validate(s);
        if (error is not null)
        {
            return false;
        }

        result = new StorageKey(s!);
        return true;
    }

    static StorageKey IParsable<StorageKey>.Parse(string s, IFormatProvider? provider) => Parse(s);

    static bool IParsable<StorageKey>.TryParse([NotNullWhen(true)] string? s, IFormatProvider? provider, out StorageKey result) => TryParse(s, out result);

    /// <summary>Returns the key text.</summary>
    /// <returns>The key text.</returns>
    public override string ToString() => Value;

    /// <inheritdoc/>
    public bool Equals(StorageKey other) => string.Equals(_value, other._value, StringComparison.Ordinal);

    /// <inheritdoc/>
    public override bool Equals(object? obj) => obj is StorageKey other && Equals(other);

    /// <inheritdoc/>
    public override int GetHashCode() => _value is null ? 0 : StringComparer.Ordinal.GetHashCode(_value);

    /// <summary>Compares two keys for equality.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> when the keys are equal.</returns>
    public static bool operator ==(StorageKey left, StorageKey right) => left.Equals(right);

    /// <summary>Compares two keys for inequality.</summary>
    /// <param name="left">The first key.</param>
    /// <param name="right">The second key.</param>
    /// <returns><see langword="true"/> when the keys differ.</returns>
    public static bool operator !=(StorageKey left, StorageKey right) => !left.Equals(right);

    private static string? Validate(string? s)
    {
        if (string.IsNullOrEmpty(s))
        {
            return "A storage key is required.";
        }

        if (s.Length > MaxLength)
        {
            return string.Create(CultureInfo.InvariantCulture, $"A storage key has at most {MaxLength} characters; this one has {s.Length}.");
        }

        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (!(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '/' or '.' or '_' or '-'))
            {
                var shown = char.IsControl(c) ? $"U+{(int)c:X4}" : c.ToString();
                return string.Create(CultureInfo.InvariantCulture, $"A storage key holds only a-z, 0-9, '/', '.', '_' and '-'; found '{shown}' at position {i + 1}.");
            }
        }

        if (s[0] == '/')
        {
            return "A storage key must not start with '/'.";
        }

        if (s[^1] == '/')
        {
            return "A storage key must not end with '/'.";
        }

        if (s.Contains("..", StringComparison.Ordinal))
        {
            return "A storage key must not contain '..'.";
        }

        if (s.Contains("//", StringComparison.Ordinal))
        {
            return "A storage key must not contain an empty segment ('//').";
        }

        if (s == "." || s.StartsWith("./", StringComparison.Ordinal) || s.EndsWith("/.", StringComparison.Ordinal) || s.Contains("/./", StringComparison.Ordinal))
        {
            return "A storage key must not contain a '.' segment.";
        }

        return null;
    }
}

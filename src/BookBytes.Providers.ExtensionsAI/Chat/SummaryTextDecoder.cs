using System.Globalization;
using System.Text;

namespace BookBytes.Providers.ExtensionsAI.Chat;

/// <summary>
/// Finds the value of the top-level <c>"summary"</c> string in a JSON answer that arrives in pieces of any size, and
/// gives the value's decoded characters as soon as they are certain: never half an escape, never half a surrogate pair.
/// </summary>
/// <remarks>
/// <para>
/// It reads as much JSON as it needs to find the value: an optional leading markdown code fence (its first line, as
/// the provider's fence stripping drops it), whitespace, the object, keys (escapes included) and the values of other
/// keys, which it skips. When the text turns out not to be such JSON, or the value is not a string, or it is
/// malformed, it stops giving text and says so (<see cref="Stopped"/>); it does not judge the rest of the answer, which
/// the provider parses whole at the end. After the value's closing quote it gives nothing more.
/// </para>
/// <para>Not thread-safe: one instance reads one answer.</para>
/// </remarks>
internal sealed class SummaryTextDecoder
{
    private const string Key = "summary";

    private readonly StringBuilder _decoded = new();
    private readonly StringBuilder _key = new();
    private readonly StringBuilder _escape = new();
    private State _state = State.Start;
    private int _fenceTicks;
    private int _depth;
    private bool _inNestedString;
    private bool _nestedEscape;
    private char _pendingHigh;

    private enum State
    {
        Start,
        Fence,
        FenceLine,
        BeforeObject,
        BeforeKey,
        Key,
        KeyEscape,
        BeforeColon,
        BeforeValue,
        Value,
        ValueEscape,
        AfterValueHigh,
        AfterValueHighBackslash,
        SkipString,
        SkipNested,
        SkipPrimitive,
        AfterSkipped,
        Done,
        Stopped,
    }

    /// <summary>Gets the text given so far, joined.</summary>
    public string Text => _decoded.ToString();

    /// <summary>Gets whether the value's closing quote has been read.</summary>
    public bool Completed => _state == State.Done;

    /// <summary>Gets whether the text is not the JSON expected, so no more text will be given.</summary>
    public bool Stopped => _state == State.Stopped;

    /// <summary>Reads the next piece of the answer.</summary>
    /// <param name="piece">The piece, of any length.</param>
    /// <returns>The value's characters that the piece makes certain, in order; empty when none.</returns>
    public string Append(ReadOnlySpan<char> piece)
    {
        var start = _decoded.Length;
        foreach (var c in piece)
        {
            if (_state is State.Done or State.Stopped)
            {
                break;
            }

            Read(c);
        }

        return _decoded.ToString(start, _decoded.Length - start);
    }

    private static bool IsWhitespace(char c) => c is ' ' or '\t' or '\n' or '\r';

    private static int? Unescaped(char c) => c switch
    {
        '"' => '"',
        '\\' => '\\',
        '/' => '/',
        'b' => '\b',
        'f' => '\f',
        'n' => '\n',
        'r' => '\r',
        't' => '\t',
        _ => null,
    };

    private void Read(char c)
    {
        switch (_state)
        {
            case State.Start:
                if (c == '`')
                {
                    _fenceTicks = 1;
                    _state = State.Fence;
                }
                else
                {
                    ReadBeforeObject(c);
                }

                break;
            case State.Fence:
                if (c == '`' && _fenceTicks < 3)
                {
                    _fenceTicks++;
                }
                else if (_fenceTicks < 3)
                {
                    Stop();
                }
                else
                {
                    // The fence's first line (```json) is dropped up to its end, whatever it says.
                    _state = c == '\n' ? State.BeforeObject : State.FenceLine;
                }

                break;
            case State.FenceLine:
                if (c == '\n')
                {
                    _state = State.BeforeObject;
                }

                break;
            case State.BeforeObject:
                ReadBeforeObject(c);
                break;
            case State.BeforeKey:
                if (c == '"')
                {
                    _key.Clear();
                    _state = State.Key;
                }
                else if (c == '}')
                {
                    // The object ends without the key: nothing to give.
                    _state = State.Stopped;
                }
                else if (!IsWhitespace(c))
                {
                    Stop();
                }

                break;
            case State.Key:
                ReadKey(c);
                break;
            case State.KeyEscape:
                ReadKeyEscape(c);
                break;
            case State.BeforeColon:
                if (c == ':')
                {
                    _state = State.BeforeValue;
                }
                else if (!IsWhitespace(c))
                {
                    Stop();
                }

                break;
            case State.BeforeValue:
                ReadBeforeValue(c);
                break;
            case State.Value:
                ReadValue(c);
                break;
            case State.ValueEscape:
                ReadValueEscape(c);
                break;
            case State.AfterValueHigh:
                // A high surrogate written as \uXXXX must be followed by its low half, written the same way.
                if (c == '\\')
                {
                    _state = State.AfterValueHighBackslash;
                }
                else
                {
                    Stop();
                }

                break;
            case State.AfterValueHighBackslash:
                if (c == 'u')
                {
                    _escape.Clear();
                    _state = State.ValueEscape;
                    _escape.Append('u');
                }
                else
                {
                    Stop();
                }

                break;
            case State.SkipString:
                ReadSkippedString(c);
                break;
            case State.SkipNested:
                ReadNested(c);
                break;
            case State.SkipPrimitive:
                if (c is ',' or '}' || IsWhitespace(c))
                {
                    _state = State.AfterSkipped;
                    Read(c);
                }
                else if (!(char.IsAsciiLetterOrDigit(c) || c is '-' or '+' or '.'))
                {
                    Stop();
                }

                break;
            case State.AfterSkipped:
                if (c == ',')
                {
                    _state = State.BeforeKey;
                }
                else if (c == '}')
                {
                    _state = State.Stopped;
                }
                else if (!IsWhitespace(c))
                {
                    Stop();
                }

                break;
        }
    }

    private void ReadBeforeObject(char c)
    {
        if (c == '{')
        {
            _state = State.BeforeKey;
        }
        else if (!IsWhitespace(c))
        {
            Stop();
        }
    }

    private void ReadKey(char c)
    {
        switch (c)
        {
            case '"':
                _state = State.BeforeColon;
                break;
            case '\\':
                _escape.Clear();
                _state = State.KeyEscape;
                break;
            case < ' ':
                Stop();
                break;
            default:
                _key.Append(c);
                break;
        }
    }

    private void ReadKeyEscape(char c)
    {
        if (_escape.Length == 0 && c != 'u')
        {
            if (Unescaped(c) is int simple)
            {
                _key.Append((char)simple);
                _state = State.Key;
            }
            else
            {
                Stop();
            }

            return;
        }

        _escape.Append(c);
        if (_escape.Length == 5)
        {
            if (Hex(_escape.ToString(1, 4)) is int code)
            {
                // Surrogates in a key are kept as they come: the key is only compared with "summary".
                _key.Append((char)code);
                _state = State.Key;
            }
            else
            {
                Stop();
            }
        }
    }

    private void ReadBeforeValue(char c)
    {
        if (IsWhitespace(c))
        {
            return;
        }

        var isSummary = string.Equals(_key.ToString(), Key, StringComparison.Ordinal);
        if (isSummary)
        {
            if (c == '"')
            {
                _state = State.Value;
            }
            else
            {
                Stop();
            }

            return;
        }

        switch (c)
        {
            case '"':
                _state = State.SkipString;
                _nestedEscape = false;
                break;
            case '{' or '[':
                _depth = 1;
                _inNestedString = false;
                _nestedEscape = false;
                _state = State.SkipNested;
                break;
            default:
                _state = State.SkipPrimitive;
                Read(c);
                break;
        }
    }

    private void ReadValue(char c)
    {
        if (_pendingHigh != '\0')
        {
            // A raw high surrogate at the end of a piece waits for its low half.
            var high = _pendingHigh;
            _pendingHigh = '\0';
            if (!char.IsLowSurrogate(c))
            {
                Stop();
                return;
            }

            _decoded.Append(high).Append(c);
            return;
        }

        switch (c)
        {
            case '"':
                _state = State.Done;
                break;
            case '\\':
                _escape.Clear();
                _state = State.ValueEscape;
                break;
            case < ' ':
                Stop();
                break;
            default:
                if (char.IsHighSurrogate(c))
                {
                    _pendingHigh = c;
                }
                else if (char.IsLowSurrogate(c))
                {
                    Stop();
                }
                else
                {
                    _decoded.Append(c);
                }

                break;
        }
    }

    private void ReadValueEscape(char c)
    {
        if (_escape.Length == 0 && c != 'u')
        {
            if (Unescaped(c) is int simple && _pendingHigh == '\0')
            {
                _decoded.Append((char)simple);
                _state = State.Value;
            }
            else
            {
                Stop();
            }

            return;
        }

        _escape.Append(c);
        if (_escape.Length < 5)
        {
            return;
        }

        if (Hex(_escape.ToString(1, 4)) is not int code)
        {
            Stop();
            return;
        }

        var ch = (char)code;
        if (_pendingHigh != '\0')
        {
            var high = _pendingHigh;
            _pendingHigh = '\0';
            if (!char.IsLowSurrogate(ch))
            {
                Stop();
                return;
            }

            _decoded.Append(high).Append(ch);
            _state = State.Value;
        }
        else if (char.IsHighSurrogate(ch))
        {
            _pendingHigh = ch;
            _state = State.AfterValueHigh;
        }
        else if (char.IsLowSurrogate(ch))
        {
            Stop();
        }
        else
        {
            _decoded.Append(ch);
            _state = State.Value;
        }
    }

    private void ReadSkippedString(char c)
    {
        if (_nestedEscape)
        {
            _nestedEscape = false;
        }
        else if (c == '\\')
        {
            _nestedEscape = true;
        }
        else if (c == '"')
        {
            _state = State.AfterSkipped;
        }
    }

    private void ReadNested(char c)
    {
        if (_inNestedString)
        {
            if (_nestedEscape)
            {
                _nestedEscape = false;
            }
            else if (c == '\\')
            {
                _nestedEscape = true;
            }
            else if (c == '"')
            {
                _inNestedString = false;
            }

            return;
        }

        switch (c)
        {
            case '"':
                _inNestedString = true;
                break;
            case '{' or '[':
                _depth++;
                break;
            case '}' or ']':
                if (--_depth == 0)
                {
                    _state = State.AfterSkipped;
                }

                break;
        }
    }

    private void Stop()
    {
        _pendingHigh = '\0';
        _state = State.Stopped;
    }

    private static int? Hex(string digits)
        => int.TryParse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var code) ? code : null;
}

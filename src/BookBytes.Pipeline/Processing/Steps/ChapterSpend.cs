using BookBytes.Llm;

namespace BookBytes.Pipeline.Processing.Steps;

/// <summary>
/// What one chapter's provider calls cost and is not yet saved with the chapter: tokens of answers (refused
/// ones too) and characters of speech calls that returned audio, so a chapter that fails still shows its cost.
/// </summary>
/// <remarks>Thread-safe: a chapter's chunks are spoken in parallel.</remarks>
internal sealed class ChapterSpend
{
    private readonly Lock _gate = new();
    private LlmUsage _tokens = LlmUsage.Zero;
    private long _characters;

    /// <summary>Gets the unsaved cost.</summary>
    public UsageTotals Unsaved
    {
        get
        {
            lock (_gate)
            {
                return new UsageTotals(_tokens, _characters);
            }
        }
    }

    /// <summary>Gets the characters spoken so far.</summary>
    public long Characters
    {
        get
        {
            lock (_gate)
            {
                return _characters;
            }
        }
    }

    /// <summary>Adds an answer's tokens.</summary>
    /// <param name="usage">The tokens.</param>
    public void AddTokens(LlmUsage usage)
    {
        lock (_gate)
        {
            _tokens += usage;
        }
    }

    /// <summary>Adds a speech call's characters.</summary>
    /// <param name="characters">The characters.</param>
    public void AddCharacters(int characters)
    {
        lock (_gate)
        {
            _characters += characters;
        }
    }

    /// <summary>Takes the unsaved tokens, once they are saved with the chapter.</summary>
    /// <returns>The tokens.</returns>
    public LlmUsage TakeTokens()
    {
        lock (_gate)
        {
            var tokens = _tokens;
            _tokens = LlmUsage.Zero;
            return tokens;
        }
    }
}

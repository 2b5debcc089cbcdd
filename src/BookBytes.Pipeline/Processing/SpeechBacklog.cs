namespace BookBytes.Pipeline.Processing;

/// <summary>
/// The characters this node's chapters have ready to speak (whole sentences) and not yet cut into speech calls, summed over
/// all jobs: a chapter cuts its next chunk to about this backlog shared out over the speech slots, so chunks are short when
/// little waits (the first sound, the book's last minutes: no slot idles while another speaks a long chunk) and long when
/// much waits (fewer calls).
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class SpeechBacklog
{
    private long _characters;

    /// <summary>Gets the characters ready and not yet cut.</summary>
    public long Characters => Math.Max(0, Interlocked.Read(ref _characters));

    /// <summary>Changes the backlog.</summary>
    /// <param name="characters">The change; negative when text is cut or discarded.</param>
    public void Add(long characters)
    {
        if (characters != 0)
        {
            Interlocked.Add(ref _characters, characters);
        }
    }
}

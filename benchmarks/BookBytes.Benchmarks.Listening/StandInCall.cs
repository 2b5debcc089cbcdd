namespace BookBytes.Benchmarks.Listening;

/// <summary>
/// One request the stand-in served, on the benchmark's clock: when it arrived, when its first body byte was sent and when
/// its answer ended. <see cref="Chapter"/> is 0 for an outline; <see cref="Units"/> is tokens for chat, characters for speech.
/// </summary>
internal sealed record StandInCall(string Kind, int Book, int Chapter, bool Streamed, TimeSpan Arrived, TimeSpan FirstByte, TimeSpan Ended, int Units, int Status)
{
    public const string Outline = "outline";
    public const string Summary = "summary";
    public const string Speech = "speech";
    public const string Catalog = "catalog";
    public const string Other = "other";
}

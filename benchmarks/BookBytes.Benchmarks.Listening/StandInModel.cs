namespace BookBytes.Benchmarks.Listening;

/// <summary>
/// The stand-in's latency model. Chat: the first token <see cref="ChatFirstToken"/> after the request, then
/// <see cref="ChatTokensPerSecond"/> (token <c>i</c> of <c>n</c>, from 1, at first + (i − 1)/rate), or, with
/// <see cref="ChatFixed"/>, token <c>i</c> at fixed × i/n; a token is <see cref="CharactersPerToken"/> characters of the
/// answer's JSON content (rounded up). Speech: <see cref="SpeechBase"/> + characters/<see cref="SpeechCharactersPerSecond"/>,
/// or exactly <see cref="SpeechFixed"/>, then the whole body.
/// </summary>
internal sealed record StandInModel
{
    public TimeSpan ChatFirstToken { get; init; } = TimeSpan.FromSeconds(0.4);

    public double ChatTokensPerSecond { get; init; } = 100;

    public TimeSpan? ChatFixed { get; init; }

    public int CharactersPerToken { get; init; } = 4;

    /// <summary>Tokens per streamed event (OpenAI sends about one).</summary>
    public int TokensPerPiece { get; init; } = 1;

    public TimeSpan SpeechBase { get; init; } = TimeSpan.FromSeconds(0.3);

    public double SpeechCharactersPerSecond { get; init; } = 100;

    public TimeSpan? SpeechFixed { get; init; }

    public int Tokens(int contentCharacters) => Math.Max(1, (contentCharacters + CharactersPerToken - 1) / CharactersPerToken);

    /// <summary>When token <paramref name="i"/> (from 1) of <paramref name="n"/> is out, after the request arrived.</summary>
    public TimeSpan TokenTime(int i, int n)
        => ChatFixed is { } whole ? whole * i / n : ChatFirstToken + TimeSpan.FromSeconds((i - 1) / ChatTokensPerSecond);

    /// <summary>A whole answer of <paramref name="tokens"/> tokens: when its last token is out.</summary>
    public TimeSpan ChatTime(int tokens) => TokenTime(tokens, tokens);

    public TimeSpan SpeechTime(int characters)
        => SpeechFixed ?? SpeechBase + TimeSpan.FromSeconds(characters / SpeechCharactersPerSecond);

    public string Describe() => (ChatFixed is { } c ? $"chat exactly {c.TotalMilliseconds:F0} ms" : $"chat first token {ChatFirstToken.TotalSeconds:0.###} s then {ChatTokensPerSecond:0.#} tokens/s")
        + $" (a token = {CharactersPerToken} characters of the JSON content, rounded up; {TokensPerPiece} token(s) an event when streamed); "
        + (SpeechFixed is { } s ? $"speech exactly {s.TotalMilliseconds:F0} ms" : $"speech {SpeechBase.TotalSeconds:0.###} s + characters/{SpeechCharactersPerSecond:0.#}");
}

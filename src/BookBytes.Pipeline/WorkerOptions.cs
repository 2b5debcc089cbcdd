namespace BookBytes.Pipeline;

/// <summary>Worker settings (<c>BookBytes:Worker</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>Gets or sets a value indicating whether this node runs jobs (<c>BookBytes:Worker:Enabled</c>, default true). False makes an API-only node: no job runner is registered.</summary>
    public bool Enabled { get; set; } = true;
}

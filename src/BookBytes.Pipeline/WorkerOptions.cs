namespace BookBytes.Pipeline;

/// <summary>Worker settings (<c>BookBytes:Worker</c>).</summary>
public sealed class WorkerOptions
{
    /// <summary>Gets or sets a value indicating whether this node runs jobs (<c>BookBytes:Worker:Enabled</c>, default true). False makes an API-only node: no job runner is registered (or, when it is set after <c>AddBookBytes</c>, for example with <c>Configure&lt;BookBytesOptions&gt;</c>, the registered runner does nothing).</summary>
    public bool Enabled { get; set; } = true;
}

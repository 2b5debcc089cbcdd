namespace BookBytes.Pipeline.Jobs;

/// <summary>A job handler that cannot work without services the application may not have registered.</summary>
internal interface IRequiresServices
{
    /// <summary>Gets the contracts the handler needs and that are not registered, for example <c>ITtsProvider</c>; empty when all are.</summary>
    IReadOnlyList<string> MissingServices { get; }
}

namespace BookBytes.Storage;

/// <summary>An object just written to storage.</summary>
/// <param name="Key">Its key.</param>
/// <param name="Location">Where it is, in the backend's terms: a file path or an <c>s3://bucket/key</c> URI.</param>
/// <param name="Length">Its size in bytes.</param>
public sealed record StoredObject(StorageKey Key, string Location, long Length);

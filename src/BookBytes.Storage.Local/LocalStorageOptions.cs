namespace BookBytes.Storage.Local;

/// <summary>Settings of <see cref="LocalStorageBackend"/>, bound from <see cref="SectionName"/>.</summary>
/// <remarks>Read once when the backend is created; later changes have no effect.</remarks>
public sealed class LocalStorageOptions
{
    /// <summary>The configuration section the options are bound from: <c>BookBytes:Storage:Local</c>.</summary>
    public const string SectionName = "BookBytes:Storage:Local";

    /// <summary>
    /// Gets or sets the folder the files go under; relative paths are resolved against the current
    /// directory when the backend is created. Created when missing. Default <c>./data/audio</c>.
    /// </summary>
    public string RootPath { get; set; } = "./data/audio";

    /// <summary>
    /// Gets or sets the absolute <c>http(s)</c> URL under which <see cref="RootPath"/> is served, for
    /// example <c>https://cdn.example.com/audio/</c>. When set, <see cref="LocalStorageBackend.GetUrlAsync"/>
    /// returns this URL plus the key; when not set, it returns a <c>file://</c> URL.
    /// </summary>
    public Uri? PublicBaseUrl { get; set; }
}

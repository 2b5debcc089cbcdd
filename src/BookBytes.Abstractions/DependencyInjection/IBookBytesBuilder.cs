using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.DependencyInjection;

/// <summary>
/// Configures BookBytes in a service collection. Returned by <c>AddBookBytes()</c>; adapter packages
/// add extension methods to it (<c>AddOpenAI()</c>, <c>AddLocalStorage()</c>, ...).
/// </summary>
public interface IBookBytesBuilder
{
    /// <summary>Gets the service collection BookBytes is registered in.</summary>
    IServiceCollection Services { get; }
}

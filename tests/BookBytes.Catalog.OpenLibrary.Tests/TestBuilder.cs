using BookBytes.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.Catalog.OpenLibrary.Tests;

internal sealed class TestBuilder(IServiceCollection services) : IBookBytesBuilder
{
    public IServiceCollection Services { get; } = services;
}

using BookBytes.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.Storage.Tests.Support;

internal sealed class TestBuilder(IServiceCollection services) : IBookBytesBuilder
{
    public IServiceCollection Services { get; } = services;
}

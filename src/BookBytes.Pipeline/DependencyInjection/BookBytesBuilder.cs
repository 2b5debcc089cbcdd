using BookBytes.DependencyInjection;
using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.Pipeline.DependencyInjection;

internal sealed class BookBytesBuilder(IServiceCollection services) : IBookBytesBuilder
{
    public IServiceCollection Services { get; } = services;
}

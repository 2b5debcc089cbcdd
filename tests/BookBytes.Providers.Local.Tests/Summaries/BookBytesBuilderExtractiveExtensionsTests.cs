using BookBytes.Llm;
using BookBytes.Providers.Local.Summaries;
using BookBytes.Testing.Fakes;
using Microsoft.Extensions.DependencyInjection;

namespace BookBytes.Providers.Local.Tests.Summaries;

public sealed class BookBytesBuilderExtractiveExtensionsTests
{
    [Fact]
    public void Extractive_summaries_fill_the_language_model_slot_with_a_provider_that_needs_the_text()
    {
        var services = new ServiceCollection();
        services.AddBookBytes().AddExtractiveSummaries();
        using var provider = services.BuildServiceProvider();

        var llm = provider.GetRequiredService<ILlmProvider>();

        llm.Should().BeOfType<ExtractiveLlmProvider>().And.BeSameAs(provider.GetRequiredService<ExtractiveLlmProvider>());
        llm.RequiresText.Should().BeTrue();
        llm.ModelId.Should().Be(ExtractiveLlmProvider.Model);
    }

    [Fact]
    public void The_last_registration_wins_both_ways()
    {
        var fake = new FakeLlmProvider();
        var replaced = new ServiceCollection();
        replaced.AddBookBytes().AddExtractiveSummaries();
        replaced.AddSingleton<ILlmProvider>(fake);
        var again = new ServiceCollection();
        again.AddSingleton<ILlmProvider>(fake);
        again.AddBookBytes().AddExtractiveSummaries().AddExtractiveSummaries();

        using var first = replaced.BuildServiceProvider();
        using var second = again.BuildServiceProvider();

        first.GetRequiredService<ILlmProvider>().Should().BeSameAs(fake);
        second.GetRequiredService<ILlmProvider>().Should().BeOfType<ExtractiveLlmProvider>();
        again.Count(d => d.ServiceType == typeof(ILlmProvider)).Should().Be(1);
        again.Count(d => d.ServiceType == typeof(ExtractiveLlmProvider)).Should().Be(1, "a second call registers nothing twice");
    }

    [Fact]
    public void A_null_builder_is_refused()
    {
        var act = () => BookBytesBuilderExtractiveExtensions.AddExtractiveSummaries(null!);

        act.Should().Throw<ArgumentNullException>();
    }
}

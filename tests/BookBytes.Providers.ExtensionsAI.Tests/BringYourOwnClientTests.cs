using BookBytes.AudioBooks;
using BookBytes.Books;
using BookBytes.Llm;
using BookBytes.Storage;
using BookBytes.Testing.Fakes;
using BookBytes.Tts;
using Microsoft.Extensions.AI;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.ExtensionsAI.Tests;

/// <summary>An application's own Microsoft.Extensions.AI clients, registered its way, make whole audiobooks through <c>AddBookBytes()</c>.</summary>
public sealed class BringYourOwnClientTests
{
    private readonly ScriptedChatClient _chat = new();
    private readonly ScriptedSpeechClient _speech = new();
    private readonly InMemoryStorageBackend _storage = new();

    [Fact]
    public async Task The_applications_IChatClient_and_ITextToSpeechClient_make_a_complete_audiobook()
    {
        var services = Services();
        services.AddSingleton<IChatClient>(_chat);
        services.AddSingleton<ITextToSpeechClient>(_speech);
        services.AddBookBytes(PipelineRun.Fast).AddChatClientLlm().AddSpeechClientTts(o =>
        {
            o.Voices.Add("narrator");
            o.MaxInputCharacters = 200;
        });

        var book = await PipelineRun.RunBookAsync(services, voice: null);

        book.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        book.AudioBook.Voice.Should().Be("narrator", "the declared voices give the default");
        book.Chapters.Select(c => c.Title).Should().Equal(_chat.Titles);
        book.Chapters.Should().OnlyContain(c => c.Status == ChapterStatus.Completed && c.AudioKey != null);
        foreach (var chapter in book.Chapters)
        {
            (await _storage.ExistsAsync(StorageKey.Parse(chapter.AudioKey!))).Should().BeTrue();
        }

        _chat.Calls.Should().HaveCount(1 + _chat.Titles.Length, "one outline and one summary per chapter");
        _speech.Calls.Should().NotBeEmpty().And.OnlyContain(c => c.Options!.VoiceId == "narrator" && c.Options.AudioFormat == "mp3" && c.Text.Length <= 200);
        book.AudioBook.Usage.Llm.InputTokens.Should().Be(100 * (1 + _chat.Titles.Length));
    }

    [Fact]
    public async Task Keyed_clients_are_taken_by_their_key()
    {
        var services = Services();
        services.AddKeyedSingleton<IChatClient>("summaries", _chat);
        services.AddSingleton<IChatClient>(new ScriptedChatClient { Respond = (_, _, _) => throw new InvalidOperationException("the unkeyed client must not be asked") });
        services.AddKeyedSingleton<ITextToSpeechClient>("voices", _speech);
        services.AddBookBytes(PipelineRun.Fast).AddChatClientLlm("summaries").AddSpeechClientTts("voices", o => o.Voices.Add("narrator"));

        var book = await PipelineRun.RunBookAsync(services, voice: "narrator");

        book.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        _chat.Calls.Should().NotBeEmpty();
    }

    [Fact]
    public async Task A_factory_gives_the_client_and_the_last_registration_wins()
    {
        var services = Services();
        var factoryCalls = 0;
        services.AddBookBytes(PipelineRun.Fast)
            .AddChatClientLlm("never-registered")
            .AddChatClientLlm(_ =>
            {
                factoryCalls++;
                return _chat;
            }, o => o.ModelId = "chosen-model")
            .AddSpeechClientTts(_ => _speech, o => o.Voices.Add("narrator"));

        var book = await PipelineRun.RunBookAsync(services, voice: "narrator");

        book.AudioBook.Status.Should().Be(AudioBookStatus.Completed);
        factoryCalls.Should().Be(1);
        _chat.Calls.Should().OnlyContain(c => c.Options!.ModelId == "chosen-model");
    }

    [Fact]
    public async Task A_missing_client_fails_the_hosts_start_naming_the_type()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IBookCatalog>(new FakeBookCatalog());
        builder.Services.AddSingleton<IStorageBackend>(_storage);
        builder.Services.AddSingleton<ITextToSpeechClient>(_speech);
        builder.Services.AddBookBytes().AddChatClientLlm().AddSpeechClientTts(o => o.Voices.Add("narrator"));
        using var host = builder.Build();

        var act = () => host.StartAsync();

        // The worker needs the provider while it is created, before options validation runs; either reports it.
        var thrown = (await act.Should().ThrowAsync<Exception>()).Which;
        thrown.Should().Match<Exception>(e => e is OptionsValidationException || e is InvalidOperationException);
        thrown.Message.Should().Contain("Microsoft.Extensions.AI.IChatClient").And.Contain("services.AddChatClient(").And.NotContain("ITextToSpeechClient");
    }

    [Fact]
    public async Task A_missing_client_fails_the_start_of_a_node_that_runs_no_worker()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IBookCatalog>(new FakeBookCatalog());
        builder.Services.AddSingleton<IStorageBackend>(_storage);
        builder.Services.AddSingleton<ITextToSpeechClient>(_speech);
        builder.Services.AddBookBytes(o => o.Worker.Enabled = false).AddChatClientLlm().AddSpeechClientTts(o => o.Voices.Add("narrator"));
        using var host = builder.Build();

        var act = () => host.StartAsync();

        (await act.Should().ThrowAsync<OptionsValidationException>()).Which.Message.Should().Contain("Microsoft.Extensions.AI.IChatClient");
    }

    [Fact]
    public async Task A_missing_keyed_client_names_its_key_and_a_displaced_registration_is_not_checked()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddSingleton<IBookCatalog>(new FakeBookCatalog());
        builder.Services.AddSingleton<IStorageBackend>(_storage);
        builder.Services.AddBookBytes().AddChatClientLlm().AddSpeechClientTts("speech-key");
        builder.Services.AddSingleton<ILlmProvider>(new FakeLlmProvider());
        using (var host = builder.Build())
        {
            var act = () => host.StartAsync();

            (await act.Should().ThrowAsync<Exception>()).Which.Message
                .Should().Contain("ITextToSpeechClient").And.Contain("'speech-key'").And.Contain("AddKeyedSingleton<ITextToSpeechClient>(key").And.NotContain("IChatClient", "a later ILlmProvider displaced the chat client's provider");
        }
    }

    private ServiceCollection Services()
    {
        var services = new ServiceCollection();
        services.AddSingleton<IStorageBackend>(_storage);
        return services;
    }
}

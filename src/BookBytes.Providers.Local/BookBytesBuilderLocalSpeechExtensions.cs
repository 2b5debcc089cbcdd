// ITextToSpeechClient and its types are experimental in Microsoft.Extensions.AI 10 (MEAI001); this file builds on them deliberately.
#pragma warning disable MEAI001
using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.Providers.ExtensionsAI.Speech;
using BookBytes.Providers.Local.Speech;
using BookBytes.Tts;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BookBytes.Providers.Local;

/// <summary>Registers speech from the machine's own engines (eSpeak NG, Flite, Festival, with ffmpeg for MP3).</summary>
public static class BookBytesBuilderLocalSpeechExtensions
{
    /// <summary>
    /// Makes the machine's own speech engines speak the chapters: a singleton provider over <see cref="LocalSpeechClient"/>
    /// becomes the <see cref="ITtsProvider"/>, replacing any registered before (the last call wins). Registers the
    /// singletons <see cref="LocalSpeechEngines"/> (discovered once) and <see cref="LocalSpeechClient"/> too, with
    /// <see cref="LocalSpeechOptions"/> bound from the <c>BookBytes:Local:Speech</c> section of the registered
    /// <see cref="IConfiguration"/> and then <paramref name="configure"/>.
    /// </summary>
    /// <remarks>
    /// The provider lists every voice found and takes no other; a request without a voice gets the voice of the book's
    /// language (<see cref="LocalSpeechEngines.VoiceFor"/>), else <see cref="LocalSpeechEngines.DefaultVoice"/>. It
    /// produces MP3 (the default) and WAV when ffmpeg is found, WAV only otherwise. While it is the registered provider,
    /// the host's start fails when no engine is found (the message names <c>apt-get install espeak-ng</c>), when the
    /// configured voice is not found, or when a setting is out of range; missing Flite, Festival or ffmpeg are logged
    /// once at Information with their Debian packages. Calling this method again registers nothing twice and only adds
    /// <paramref name="configure"/>. A <see cref="LocalSpeechEngines"/> registered before this call (from
    /// <see cref="LocalSpeechEngines.Discover"/>, when the application decides by it whether to add speech) is used as
    /// it is, and the engines are not discovered again.
    /// </remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddLocalSpeech(this IBookBytesBuilder builder, Action<LocalSpeechOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (AdapterOptions.Register<LocalSpeechOptions, LocalSpeechOptionsValidator>(services, LocalSpeechOptions.SectionName, configure, InUse))
        {
            // Engines the application discovered already (to decide whether to add speech at all) are used as they are.
            services.AddSingleton(sp => new LocalSpeechDiscovery(
                sp.GetService<ILogger<LocalSpeechDiscovery>>(),
                services.LastOrDefault(d => d.ServiceType == typeof(LocalSpeechEngines) && d.ImplementationInstance is not null)?.ImplementationInstance as LocalSpeechEngines));
            services.AddSingleton<IValidateOptions<LocalSpeechOptions>>(sp => new LocalSpeechEnginesValidator(sp.GetRequiredService<LocalSpeechDiscovery>(), sp));
            services.TryAddSingleton(sp => sp.GetRequiredService<LocalSpeechDiscovery>().Get(sp.GetRequiredService<IOptions<LocalSpeechOptions>>().Value));
            services.AddSingleton(sp => new LocalSpeechClient(
                sp.GetRequiredService<LocalSpeechEngines>(), sp.GetRequiredService<IOptions<LocalSpeechOptions>>().Value, sp.GetService<ILogger<LocalSpeechClient>>()));
            services.AddSingleton(sp =>
            {
                var engines = sp.GetRequiredService<LocalSpeechEngines>();
                var options = LocalTtsProvider.Options(engines, sp.GetRequiredService<IOptions<LocalSpeechOptions>>().Value);
                return new LocalTtsProvider(new SpeechClientTtsProvider(sp.GetRequiredService<LocalSpeechClient>(), options, sp.GetService<ILogger<SpeechClientTtsProvider>>()));
            });
        }

        ServiceSlot.Fill<ITtsProvider, LocalTtsProvider>(services);
        return builder;
    }

    private static bool InUse(IEnumerable<ServiceDescriptor> services) => ServiceSlot.IsHeldBy<ITtsProvider, LocalTtsProvider>(services);
}

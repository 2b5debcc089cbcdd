using BookBytes.DependencyInjection;
using BookBytes.Internal;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace BookBytes.Packaging.Ffmpeg;

/// <summary>Registers audiobook packaging (M4B and MP3) with the machine's ffmpeg.</summary>
public static class BookBytesBuilderFfmpegPackagingExtensions
{
    /// <summary>
    /// Makes the machine's ffmpeg package audiobooks: a singleton <see cref="FfmpegAudioPackager"/> becomes the
    /// <see cref="IAudioPackager"/>, replacing any registered before (the last call wins), with
    /// <see cref="FfmpegPackagingOptions"/> bound from the <c>BookBytes:Packaging</c> section of the registered
    /// <see cref="IConfiguration"/> and then <paramref name="configure"/>.
    /// </summary>
    /// <remarks>
    /// A setting out of range fails the host's start with a message naming its key. A missing ffmpeg or ffprobe does not:
    /// <see cref="IAudioPackager.Supports"/> then answers <see langword="false"/>, the packager logs once at Information
    /// what is missing with <c>apt-get install ffmpeg</c>, and a package asked for anyway fails with a
    /// <see cref="PackagingException"/> saying so. Calling this method again registers nothing twice and only adds
    /// <paramref name="configure"/>.
    /// </remarks>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="configure">Changes applied after configuration binding, or <see langword="null"/>.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddFfmpegPackaging(this IBookBytesBuilder builder, Action<FfmpegPackagingOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(builder);
        var services = builder.Services;
        if (AdapterOptions.Register<FfmpegPackagingOptions, FfmpegPackagingOptionsValidator>(services, FfmpegPackagingOptions.SectionName, configure, InUse))
        {
            services.AddSingleton(sp => new FfmpegAudioPackager(
                sp.GetRequiredService<IOptions<FfmpegPackagingOptions>>().Value, sp.GetService<ILogger<FfmpegAudioPackager>>()));
        }

        ServiceSlot.Fill<IAudioPackager, FfmpegAudioPackager>(services);
        return builder;
    }

    private static bool InUse(IEnumerable<ServiceDescriptor> services) => ServiceSlot.IsHeldBy<IAudioPackager, FfmpegAudioPackager>(services);
}

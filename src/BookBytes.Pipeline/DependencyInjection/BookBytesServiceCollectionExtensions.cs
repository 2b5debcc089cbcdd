using BookBytes.AudioBooks;
using BookBytes.DependencyInjection;
using BookBytes.Jobs;
using BookBytes.Pipeline;
using BookBytes.Pipeline.DependencyInjection;
using BookBytes.Pipeline.Diagnostics;
using BookBytes.Pipeline.Jobs;
using BookBytes.Pipeline.Processing;
using BookBytes.Pipeline.Stores;
using BookBytes.Pipeline.Throttling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Registers BookBytes in a service collection.</summary>
public static class BookBytesServiceCollectionExtensions
{
    /// <summary>
    /// Adds the BookBytes pipeline: <see cref="ProcessingService"/>, the job runner hosted service (unless
    /// <c>Worker:Enabled</c> is false) with the audiobook job handler, in-memory job and audiobook stores (replaced by a
    /// durable store adapter when one is added), throttles, metrics and options validated at start-up.
    /// </summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configure">Sets options in code, after any configuration binding.</param>
    /// <returns>A builder to add providers, storage, stores and a catalog to.</returns>
    public static IBookBytesBuilder AddBookBytes(this IServiceCollection services, Action<BookBytesOptions>? configure = null)
        => AddCore(services, section: null, configure);

    /// <summary>Adds the BookBytes pipeline with options bound from the <c>BookBytes</c> section of <paramref name="configuration"/>.</summary>
    /// <param name="services">The service collection.</param>
    /// <param name="configuration">The application's configuration, or its <c>BookBytes</c> section.</param>
    /// <param name="configure">Sets options in code, after binding.</param>
    /// <returns>A builder to add providers, storage, stores and a catalog to.</returns>
    public static IBookBytesBuilder AddBookBytes(this IServiceCollection services, IConfiguration configuration, Action<BookBytesOptions>? configure = null)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var section = configuration is IConfigurationSection { Key: BookBytesOptions.SectionName }
            ? configuration
            : configuration.GetSection(BookBytesOptions.SectionName);
        return AddCore(services, section, configure);
    }

    private static BookBytesBuilder AddCore(IServiceCollection services, IConfiguration? section, Action<BookBytesOptions>? configure)
    {
        ArgumentNullException.ThrowIfNull(services);

        var options = services.AddOptions<BookBytesOptions>();
        if (section is not null)
        {
            options.Bind(section);
        }

        if (configure is not null)
        {
            options.Configure(configure);
        }

        options.ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<BookBytesOptions>, BookBytesOptionsValidator>());

        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new InMemoryBookBytesStore(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IJobStore>(sp => sp.GetRequiredService<InMemoryBookBytesStore>());
        services.TryAddSingleton<IAudioBookStore>(sp => sp.GetRequiredService<InMemoryBookBytesStore>());

        services.TryAddSingleton<JobWakeUp>();
        services.TryAddSingleton<ProviderThrottles>();
        services.TryAddSingleton<BookBytesMetrics>();
        services.TryAddSingleton<AudioBookProviders>();
        services.TryAddSingleton<PipelineServices>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, AudioBookJobHandler>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IJobHandler, BookBytes.Pipeline.Processing.Packaging.PackagingJobHandler>());
        services.TryAddSingleton(sp => new ProcessingService(
            sp.GetRequiredService<IJobStore>(),
            sp.GetRequiredService<IAudioBookStore>(),
            sp.GetRequiredService<AudioBookProviders>(),
            sp.GetRequiredService<JobWakeUp>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<BookBytesOptions>>()));

        if (WorkerEnabled(section, configure))
        {
            // The runner last: an application that resolves the one IHostedService (the last registered) gets the runner, as before the sweep.
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JobRetentionSweeper>());
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, JobRunner>());
        }

        return new BookBytesBuilder(services);
    }

    private static bool WorkerEnabled(IConfiguration? section, Action<BookBytesOptions>? configure)
    {
        // Registration happens before options exist, so read the one setting that decides it now.
        var probe = new BookBytesOptions();
        section?.GetSection("Worker").Bind(probe.Worker);
        configure?.Invoke(probe);
        return probe.Worker.Enabled;
    }
}

using BookBytes.AudioBooks;
using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.JobStore.Internal;
using BookBytes.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Npgsql;

namespace BookBytes.JobStore.PostgreSql;

/// <summary>Registers <see cref="PostgreSqlBookBytesStore"/> on an <see cref="IBookBytesBuilder"/>.</summary>
public static class BookBytesBuilderPostgreSqlExtensions
{
    /// <summary>
    /// Registers one <see cref="PostgreSqlBookBytesStore"/> singleton, with its own
    /// <see cref="NpgsqlDataSource"/> built once from <paramref name="connectionString"/>, as
    /// <see cref="IJobStore"/>, <see cref="IAudioBookStore"/> and <see cref="IJobNotificationSource"/> (LISTEN/NOTIFY
    /// wake-ups for the job runner), and a hosted service that applies the schema migrations when the host
    /// is starting, before the job runner starts. It replaces any store registered before (the in-memory
    /// default, another durable store, an earlier call): the last call wins, and a replaced store's migration service is removed too.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="connectionString">An Npgsql connection string (the host reads it from <c>ConnectionStrings:BookBytes</c>).</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or malformed.</exception>
    public static IBookBytesBuilder AddPostgreSqlStore(this IBookBytesBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _ = new NpgsqlConnectionStringBuilder(connectionString);
        return Register(builder, sp => new PostgreSqlBookBytesStore(
            connectionString,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<PostgreSqlBookBytesStore>>()));
    }

    /// <summary>
    /// Registers one <see cref="PostgreSqlBookBytesStore"/> singleton over a data source the application
    /// owns (and disposes), as <see cref="IJobStore"/>, <see cref="IAudioBookStore"/> and <see cref="IJobNotificationSource"/>,
    /// and a hosted service that applies the schema migrations when the host is starting. It replaces any store
    /// registered before: the last call wins, and a replaced store's migration service is removed too.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="dataSource">The shared data source.</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> or <paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public static IBookBytesBuilder AddPostgreSqlStore(this IBookBytesBuilder builder, NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentNullException.ThrowIfNull(dataSource);
        return Register(builder, sp => new PostgreSqlBookBytesStore(
            dataSource,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<PostgreSqlBookBytesStore>>()));
    }

    private static IBookBytesBuilder Register(IBookBytesBuilder builder, Func<IServiceProvider, PostgreSqlBookBytesStore> create)
    {
        JobStoreRegistration.Replace(builder.Services, create);
        ServiceSlot.Fill<IJobNotificationSource, PostgreSqlBookBytesStore>(builder.Services);
        return builder;
    }
}

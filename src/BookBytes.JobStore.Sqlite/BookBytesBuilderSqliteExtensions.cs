using BookBytes.AudioBooks;
using BookBytes.DependencyInjection;
using BookBytes.Internal;
using BookBytes.JobStore.Internal;
using BookBytes.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace BookBytes.JobStore.Sqlite;

/// <summary>Registers <see cref="SqliteBookBytesStore"/> on an <see cref="IBookBytesBuilder"/>.</summary>
public static class BookBytesBuilderSqliteExtensions
{
    /// <summary>
    /// Registers one <see cref="SqliteBookBytesStore"/> singleton as <see cref="IJobStore"/> and
    /// <see cref="IAudioBookStore"/>, and a hosted service that applies the schema migrations when the host
    /// is starting, before the job runner starts. It replaces any store registered before (the in-memory
    /// default, another durable store): the last call wins, and a replaced store's <see cref="IJobNotificationSource"/>
    /// and migration service are removed too.
    /// </summary>
    /// <param name="builder">The BookBytes builder.</param>
    /// <param name="connectionString">A Microsoft.Data.Sqlite connection string naming a database file, for example <c>Data Source=./data/bookbytes.db</c> (the host reads it from <c>ConnectionStrings:BookBytes</c>).</param>
    /// <returns>The same builder, for chaining.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is empty or names an in-memory database.</exception>
    public static IBookBytesBuilder AddSqliteStore(this IBookBytesBuilder builder, string connectionString)
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrWhiteSpace(connectionString);
        _ = new Microsoft.Data.Sqlite.SqliteConnectionStringBuilder(connectionString);

        JobStoreRegistration.Replace(builder.Services, sp => new SqliteBookBytesStore(
            connectionString,
            sp.GetService<TimeProvider>(),
            sp.GetService<ILogger<SqliteBookBytesStore>>()));
        return builder;
    }
}

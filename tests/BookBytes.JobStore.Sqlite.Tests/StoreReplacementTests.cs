using BookBytes.AudioBooks;
using BookBytes.JobStore.Internal;
using BookBytes.JobStore.PostgreSql;
using BookBytes.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BookBytes.JobStore.Sqlite.Tests;

/// <summary>The last store added wins: nothing of a store added before it stays in use.</summary>
public sealed class StoreReplacementTests : IDisposable
{
    // Nothing listens there: the replaced PostgreSQL store must never connect.
    private const string PostgreSql = "Host=127.0.0.1;Port=1;Username=postgres;Timeout=2";

    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task AddSqliteStore_after_AddPostgreSqlStore_leaves_no_PostgreSQL_service_or_migration()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddBookBytes(o => o.Worker.Enabled = false).AddPostgreSqlStore(PostgreSql).AddSqliteStore(_db.ConnectionString);
        using var host = builder.Build();

        await host.StartAsync();

        var store = host.Services.GetRequiredService<SqliteBookBytesStore>();
        host.Services.GetServices<IJobStore>().Should().ContainSingle().Which.Should().BeSameAs(store);
        host.Services.GetServices<IAudioBookStore>().Should().ContainSingle().Which.Should().BeSameAs(store);
        host.Services.GetServices<IJobNotificationSource>().Should().BeEmpty();
        host.Services.GetServices<IHostedService>().Should().ContainSingle().Which.Should().BeOfType<StoreMigrationService<SqliteBookBytesStore>>();
        (await store.GetSchemaVersionAsync()).Should().Be(5);
        await host.StopAsync();
    }

    [Fact]
    public void AddPostgreSqlStore_after_AddSqliteStore_leaves_no_SQLite_service_or_migration()
    {
        var services = new ServiceCollection();

        services.AddBookBytes(o => o.Worker.Enabled = false).AddSqliteStore(_db.ConnectionString).AddPostgreSqlStore(PostgreSql);
        using var provider = services.BuildServiceProvider();

        var store = provider.GetRequiredService<PostgreSqlBookBytesStore>();
        provider.GetServices<IJobStore>().Should().ContainSingle().Which.Should().BeSameAs(store);
        provider.GetServices<IAudioBookStore>().Should().ContainSingle().Which.Should().BeSameAs(store);
        provider.GetServices<IJobNotificationSource>().Should().ContainSingle().Which.Should().BeSameAs(store);
        var migration = provider.GetServices<IHostedService>().Should().ContainSingle().Subject;
        migration.GetType().GetGenericArguments().Should().Equal(typeof(PostgreSqlBookBytesStore));
    }

    [Fact]
    public void AddSqliteStore_twice_keeps_one_store_and_one_migration_the_last_ones()
    {
        using var other = new TempDatabase();
        var services = new ServiceCollection();

        services.AddBookBytes(o => o.Worker.Enabled = false).AddSqliteStore(other.ConnectionString).AddSqliteStore(_db.ConnectionString);
        using var provider = services.BuildServiceProvider();

        provider.GetServices<IJobStore>().Should().ContainSingle().Which.Should().BeSameAs(provider.GetRequiredService<SqliteBookBytesStore>());
        provider.GetServices<SqliteBookBytesStore>().Should().ContainSingle();
        provider.GetServices<IHostedService>().Should().ContainSingle();
    }
}

using BookBytes.AudioBooks;
using BookBytes.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace BookBytes.JobStore.Sqlite.Tests;

public sealed class SqliteRegistrationTests : IDisposable
{
    private readonly TempDatabase _db = new();

    public void Dispose() => _db.Dispose();

    [Fact]
    public async Task AddSqliteStore_replaces_the_in_memory_stores_with_one_instance_and_migrates_when_the_host_starts()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddBookBytes(o => o.Worker.Enabled = false).AddSqliteStore(_db.ConnectionString);
        using var host = builder.Build();

        await host.StartAsync();

        var store = host.Services.GetRequiredService<SqliteBookBytesStore>();
        host.Services.GetRequiredService<IJobStore>().Should().BeSameAs(store);
        host.Services.GetRequiredService<IAudioBookStore>().Should().BeSameAs(store);
        (await new SqliteBookBytesStore(_db.ConnectionString).GetSchemaVersionAsync()).Should().Be(5);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_database_that_cannot_be_opened_fails_the_host_at_start()
    {
        var file = Path.Combine(_db.Directory, "not-a-database.db");
        await File.WriteAllTextAsync(file, "this is not an SQLite file, just text that is long enough to be read as a header");
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddBookBytes().AddSqliteStore($"Data Source={file}");
        using var host = builder.Build();

        var act = () => host.StartAsync();

        await act.Should().ThrowAsync<Microsoft.Data.Sqlite.SqliteException>();
    }
}

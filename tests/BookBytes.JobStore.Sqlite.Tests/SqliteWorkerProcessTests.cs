using BookBytes.DependencyInjection;
using BookBytes.JobStore.MultiNode;

namespace BookBytes.JobStore.Sqlite.Tests;

/// <summary>Worker processes on one machine sharing a SQLite file; the crash test restarts the killed process.</summary>
public sealed class SqliteWorkerProcessTests : WorkerProcessTests, IDisposable
{
    private readonly TempDatabase _db = new();

    protected override string StoreName => "Sqlite";

    protected override int BookCount => 40;

    protected override Task<string> CreateDatabaseAsync() => Task.FromResult(_db.ConnectionString);

    protected override void AddStore(IBookBytesBuilder builder, string connectionString) => builder.AddSqliteStore(connectionString);

    protected override async Task<int> GetSchemaVersionAsync(string connectionString)
    {
        await using var store = new SqliteBookBytesStore(connectionString);
        return await store.GetSchemaVersionAsync();
    }

    public void Dispose() => _db.Dispose();
}

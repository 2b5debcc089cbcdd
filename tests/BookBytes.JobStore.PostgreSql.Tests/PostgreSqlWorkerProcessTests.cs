using BookBytes.DependencyInjection;
using BookBytes.JobStore.MultiNode;

namespace BookBytes.JobStore.PostgreSql.Tests;

[Collection(PostgresTests.Name)]
public sealed class PostgreSqlWorkerProcessTests(PostgresFixture postgres) : WorkerProcessTests
{
    protected override string StoreName => "PostgreSql";

    protected override int BookCount => 100;

    protected override Task<string> CreateDatabaseAsync() => postgres.Server.CreateDatabaseAsync();

    protected override void AddStore(IBookBytesBuilder builder, string connectionString) => builder.AddPostgreSqlStore(connectionString);

    protected override async Task<int> GetSchemaVersionAsync(string connectionString)
    {
        await using var store = new PostgreSqlBookBytesStore(connectionString);
        return await store.GetSchemaVersionAsync();
    }
}

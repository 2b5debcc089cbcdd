// Job store throughput: no-op jobs run by the real JobRunner over each durable store, against a bare
// SQL loop issuing the same claim and complete statements in the same run. Run in Release:
//   dotnet run -c Release --project benchmarks/BookBytes.Benchmarks.JobStores [-- --jobs-sqlite N --jobs-pg N --rounds N]
// Each round runs the three columns one after another on fresh databases, so each round's ratios come
// from back-to-back measurements on the same machine state.
using System.Globalization;
using BookBytes.Benchmarks.JobStores;
using BookBytes.JobStore.PostgreSql;
using BookBytes.JobStore.PostgreSql.Tests;
using BookBytes.JobStore.Sqlite;

var sqliteJobs = Arg("--jobs-sqlite", 20_000);
var pgJobs = Arg("--jobs-pg", 10_000);
var rounds = Arg("--rounds", 3);
const int Workers = 4;

Console.WriteLine($"{Environment.ProcessorCount} cores, .NET {Environment.Version}, {Workers} workers");
var results = new List<string>();

// SQLite: a temp file, WAL, synchronous=NORMAL (the store's settings).
var dir = Directory.CreateTempSubdirectory("bookbytes-bench-");
try
{
    // Warm-up (JIT) on throwaway databases, so no column pays for running first.
    await Scenarios.RunnerAsync("SQLite warm-up", b => b.AddSqliteStore($"Data Source={Path.Combine(dir.FullName, "warm-runner.db")}"), 2_000, Workers);
    await Scenarios.BareSqliteAsync($"Data Source={Path.Combine(dir.FullName, "warm-bare.db")}", 2_000, Workers);
    await Scenarios.ClaimLatencyAsync(() => new SqliteBookBytesStore($"Data Source={Path.Combine(dir.FullName, "warm-latency.db")}"), 2_000, Workers);

    for (var round = 1; round <= rounds; round++)
    {
        string Db(string name) => $"Data Source={Path.Combine(dir.FullName, $"{name}-{round}.db")}";
        var runner = await Scenarios.RunnerAsync("SQLite", b => b.AddSqliteStore(Db("runner")), sqliteJobs, Workers);
        var bare = await Scenarios.BareSqliteAsync(Db("bare"), sqliteJobs, Workers);
        var latency = await Scenarios.ClaimLatencyAsync(() => new SqliteBookBytesStore(Db("latency")), sqliteJobs, Workers);
        results.Add(Scenarios.Row($"SQLite, round {round}", sqliteJobs, runner, bare, latency));
    }
}
finally
{
    Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
    dir.Delete(recursive: true);
}

// PostgreSQL: a throwaway cluster (fsync on), databases with synchronous_commit = off, like SQLite's NORMAL.
await using (var server = await PostgresServer.StartAsync(durable: true))
{
    async Task<string> Database()
    {
        var cs = await server.CreateDatabaseAsync("bench");
        await using var admin = new Npgsql.NpgsqlConnection(server.AdminConnectionString);
        await admin.OpenAsync();
        await using var alter = new Npgsql.NpgsqlCommand($"ALTER DATABASE \"{new Npgsql.NpgsqlConnectionStringBuilder(cs).Database}\" SET synchronous_commit = off", admin);
        await alter.ExecuteNonQueryAsync();
        return cs;
    }

    // Warm-up (JIT, connection pools) on throwaway databases, so no column pays for running first.
    var warmRunnerDb = await Database();
    await Scenarios.RunnerAsync("PostgreSQL warm-up", b => b.AddPostgreSqlStore(warmRunnerDb), 2_000, Workers);
    await Scenarios.BarePostgresAsync(await Database(), 2_000, Workers);
    var warmLatencyDb = await Database();
    await Scenarios.ClaimLatencyAsync(() => new PostgreSqlBookBytesStore(warmLatencyDb), 2_000, Workers);

    for (var round = 1; round <= rounds; round++)
    {
        var runnerDb = await Database();
        var runner = await Scenarios.RunnerAsync("PostgreSQL", b => b.AddPostgreSqlStore(runnerDb), pgJobs, Workers);
        var bare = await Scenarios.BarePostgresAsync(await Database(), pgJobs, Workers);
        var latencyDb = await Database();
        var latency = await Scenarios.ClaimLatencyAsync(() => new PostgreSqlBookBytesStore(latencyDb), pgJobs, Workers);
        results.Add(Scenarios.Row($"PostgreSQL, round {round}", pgJobs, runner, bare, latency));
    }
}

Console.WriteLine();
Console.WriteLine("| store | jobs | JobRunner + store (jobs/s) | store API loop (jobs/s) | bare SQL loop (jobs/s) | runner ÷ bare | store loop ÷ bare | claim p50 | claim p99 |");
Console.WriteLine("|---|---:|---:|---:|---:|---:|---:|---:|---:|");
foreach (var row in results)
{
    Console.WriteLine(row);
}

int Arg(string name, int fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? int.Parse(args[i + 1], CultureInfo.InvariantCulture) : fallback;
}

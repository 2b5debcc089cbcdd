using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Npgsql;

namespace BookBytes.JobStore.PostgreSql.Tests;

/// <summary>
/// A PostgreSQL server for tests: the one <c>BOOKBYTES_TEST_POSTGRES</c> names (an Npgsql connection
/// string with rights to create databases), else a throwaway cluster made with <c>initdb</c> and started
/// with <c>pg_ctl</c> on a free loopback port in a temp directory, stopped and deleted on dispose.
/// </summary>
public sealed class PostgresServer : IAsyncDisposable
{
    private readonly string? _directory;
    private readonly string? _binaries;

    private PostgresServer(string adminConnectionString, string? directory, string? binaries)
    {
        AdminConnectionString = adminConnectionString;
        _directory = directory;
        _binaries = binaries;
    }

    /// <summary>Gets a connection string to the server's <c>postgres</c> database.</summary>
    public string AdminConnectionString { get; }

    /// <summary>Starts (or connects to) a server.</summary>
    /// <param name="durable">Keep fsync on (for benchmarks that should pay for commits); tests turn it off.</param>
    public static async Task<PostgresServer> StartAsync(bool durable = false)
    {
        if (Environment.GetEnvironmentVariable("BOOKBYTES_TEST_POSTGRES") is { Length: > 0 } external)
        {
            return new PostgresServer(external, null, null);
        }

        var binaries = FindBinaries() ?? throw new InvalidOperationException(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found under /usr/lib/postgresql/*/bin. " +
            "Run ./build.sh test, which installs the Debian 'postgresql' package, or set BOOKBYTES_TEST_POSTGRES to a connection string.");
        var directory = Path.Combine(Path.GetTempPath(), "bookbytes-pg-" + Guid.NewGuid().ToString("N")[..12]);
        Directory.CreateDirectory(directory);
        var asRoot = Environment.UserName == "root";
        if (asRoot)
        {
            // initdb and the server refuse to run as root: the cluster belongs to the postgres user.
            await RunAsync("chown", $"postgres:postgres {directory}");
        }

        var data = Path.Combine(directory, "data");
        await RunAsPostgresAsync(asRoot, $"{binaries}/initdb -D {data} -A trust -U postgres --no-sync -E UTF8 --locale=C");

        // The port is free when picked but bound only when the server starts; if another process takes it in
        // between, the server fails to start and is started again on another port.
        for (var attempt = 1; ; attempt++)
        {
            var port = FreePort();
            var settings = $"-p {port} -k {directory} -c listen_addresses=127.0.0.1 -c max_connections=400 -c shared_buffers=64MB" +
                (durable ? string.Empty : " -c fsync=off -c synchronous_commit=off -c full_page_writes=off");
            try
            {
                await RunAsPostgresAsync(asRoot, $"{binaries}/pg_ctl -D {data} -l {directory}/server.log -o \"{settings}\" -w -t 60 start");
                return new PostgresServer($"Host=127.0.0.1;Port={port.ToString(CultureInfo.InvariantCulture)};Username=postgres;Database=postgres", directory, binaries);
            }
            catch (InvalidOperationException) when (attempt < 3 && PortWasTaken(Path.Combine(directory, "server.log")))
            {
            }
        }
    }

    /// <summary>Creates a new, empty database and returns a connection string to it.</summary>
    public async Task<string> CreateDatabaseAsync(string prefix = "bb")
    {
        var name = $"{prefix}_{Guid.NewGuid():N}";
        await using (var connection = new NpgsqlConnection(AdminConnectionString))
        {
            await connection.OpenAsync();
            await using var command = new NpgsqlCommand($"CREATE DATABASE \"{name}\"", connection);
            await command.ExecuteNonQueryAsync();
        }

        return new NpgsqlConnectionStringBuilder(AdminConnectionString) { Database = name }.ConnectionString;
    }

    public async ValueTask DisposeAsync()
    {
        NpgsqlConnection.ClearAllPools();
        if (_directory is null)
        {
            return;
        }

        try
        {
            await RunAsPostgresAsync(Environment.UserName == "root", $"{_binaries}/pg_ctl -D {Path.Combine(_directory, "data")} -m immediate -w stop");
        }
        finally
        {
            try
            {
                Directory.Delete(_directory, recursive: true);
            }
            catch (IOException)
            {
                // Left for the temp cleaner; the server is stopped.
            }
        }
    }

    private static string? FindBinaries()
    {
        const string root = "/usr/lib/postgresql";
        if (!Directory.Exists(root))
        {
            return null;
        }

        return Directory.GetDirectories(root)
            .Select(d => Path.Combine(d, "bin"))
            .Where(b => File.Exists(Path.Combine(b, "initdb")) && File.Exists(Path.Combine(b, "pg_ctl")))
            .OrderByDescending(b => b, StringComparer.Ordinal)
            .FirstOrDefault();
    }

    private static bool PortWasTaken(string log)
        => File.Exists(log) && File.ReadAllText(log).Contains("Address already in use", StringComparison.Ordinal);

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static Task RunAsPostgresAsync(bool asRoot, string command)
        => asRoot ? RunAsync("su", ["postgres", "-s", "/bin/sh", "-c", command]) : RunAsync("/bin/sh", ["-c", command]);

    private static Task RunAsync(string file, string arguments) => RunAsync(file, arguments.Split(' '));

    private static async Task RunAsync(string file, string[] arguments)
    {
        var info = new ProcessStartInfo(file) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"'{file} {string.Join(' ', arguments)}' exited with {process.ExitCode}: {await stdout}{await stderr}");
        }
    }
}

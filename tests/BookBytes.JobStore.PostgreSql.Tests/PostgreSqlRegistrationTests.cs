using BookBytes.AudioBooks;
using BookBytes.Jobs;
using BookBytes.Pipeline.Jobs;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Npgsql;

namespace BookBytes.JobStore.PostgreSql.Tests;

[Collection(PostgresTests.Name)]
public sealed class PostgreSqlRegistrationTests(PostgresFixture postgres)
{
    [Fact]
    public async Task AddPostgreSqlStore_replaces_the_in_memory_stores_and_migrates_when_the_host_starts()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddBookBytes(o => o.Worker.Enabled = false).AddPostgreSqlStore(connectionString);
        using var host = builder.Build();

        await host.StartAsync();

        var store = host.Services.GetRequiredService<PostgreSqlBookBytesStore>();
        host.Services.GetRequiredService<IJobStore>().Should().BeSameAs(store);
        host.Services.GetRequiredService<IAudioBookStore>().Should().BeSameAs(store);
        (await store.GetSchemaVersionAsync()).Should().Be(5);
        await host.StopAsync();
    }

    [Fact]
    public async Task A_shared_data_source_is_used_and_not_disposed_by_the_store()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.Server.CreateDatabaseAsync());
        var services = new ServiceCollection();
        services.AddBookBytes(o => o.Worker.Enabled = false).AddPostgreSqlStore(dataSource);

        await using (var provider = services.BuildServiceProvider())
        {
            await provider.GetRequiredService<IJobStore>().EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        }

        await using var command = dataSource.CreateCommand("SELECT COUNT(*) FROM jobs");
        ((long)(await command.ExecuteScalarAsync())!).Should().Be(1);
    }

    [Fact]
    public async Task An_unreachable_server_fails_the_host_at_start()
    {
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddBookBytes().AddPostgreSqlStore("Host=127.0.0.1;Port=1;Username=postgres;Timeout=2");
        using var host = builder.Build();

        var act = () => host.StartAsync();

        await act.Should().ThrowAsync<NpgsqlException>();
    }

    [Fact]
    public async Task A_job_enqueued_by_another_node_wakes_an_idle_runner_without_waiting_for_the_poll()
    {
        var connectionString = await postgres.Server.CreateDatabaseAsync();
        var processed = new TaskCompletionSource<Guid>(TaskCreationOptions.RunContinuationsAsynchronously);
        var builder = Host.CreateApplicationBuilder();
        builder.Services.AddBookBytes(o => o.Jobs.PollInterval = TimeSpan.FromSeconds(50)).AddPostgreSqlStore(connectionString);
        builder.Services.AddSingleton<IJobHandler>(new RecordingProcessor(processed));
        using var host = builder.Build();
        await host.StartAsync();
        await WaitUntilListeningAsync(connectionString);
        await using var otherNode = new PostgreSqlBookBytesStore(connectionString);

        var job = await otherNode.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));

        (await processed.Task.WaitAsync(TimeSpan.FromSeconds(15))).Should().Be(job.Id, "the notification woke a worker long before its 50 s poll");
        host.Services.GetRequiredService<IJobNotificationSource>().Should().BeSameAs(host.Services.GetRequiredService<IJobStore>());
        await host.StopAsync();
    }

    private static async Task WaitUntilListeningAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'", connection);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        while ((long)(await command.ExecuteScalarAsync(timeout.Token))! == 0)
        {
            await Task.Delay(20, timeout.Token);
        }
    }

    private sealed class RecordingProcessor(TaskCompletionSource<Guid> processed) : IJobHandler
    {
        public IReadOnlyCollection<JobKind> Kinds { get; } = [JobKind.AudiobookGeneration, JobKind.AudiobookRefresh];

        public Task<JobResult> HandleAsync(JobExecution execution, CancellationToken cancellationToken)
        {
            processed.TrySetResult(execution.Job.Id);
            return Task.FromResult(JobResult.Completed);
        }
    }
}

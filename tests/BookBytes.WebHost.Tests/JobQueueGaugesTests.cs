using System.Diagnostics.Metrics;
using System.Reflection;
using BookBytes.Jobs;
using BookBytes.Pipeline.Stores;
using BookBytes.WebHost.Composition;
using BookBytes.WebHost.Telemetry;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace BookBytes.WebHost.Tests;

/// <summary>The pending-queue gauges: what they report between reads of the store.</summary>
public sealed class JobQueueGaugesTests
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero));

    [Fact]
    public async Task The_gauges_report_the_last_read_count_and_the_oldest_pending_jobs_age_growing_between_reads()
    {
        var store = new InMemoryBookBytesStore(_time);
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var gauges = new JobQueueGauges(store, _time, meters, Options.Create(new HostSettings()), NullLogger<JobQueueGauges>.Instance);
        await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        _time.Advance(TimeSpan.FromSeconds(30));
        await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));

        var beforeRead = Observe(meters);
        await gauges.RefreshAsync(CancellationToken.None);
        var read = Observe(meters);
        _time.Advance(TimeSpan.FromSeconds(12));
        var later = Observe(meters);

        beforeRead.Should().BeEmpty("nothing is reported before the store was read");
        read.Should().Equal(new Dictionary<string, double> { ["bookbytes.jobs.pending"] = 2, ["bookbytes.jobs.oldest_pending_age"] = 30 });
        later.Should().Equal(new Dictionary<string, double> { ["bookbytes.jobs.pending"] = 2, ["bookbytes.jobs.oldest_pending_age"] = 42 });
    }

    [Fact]
    public async Task An_empty_queue_is_zero_jobs_of_age_zero()
    {
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var gauges = new JobQueueGauges(new InMemoryBookBytesStore(_time), _time, meters, Options.Create(new HostSettings()), NullLogger<JobQueueGauges>.Instance);

        await gauges.RefreshAsync(CancellationToken.None);

        Observe(meters).Should().Equal(new Dictionary<string, double> { ["bookbytes.jobs.pending"] = 0, ["bookbytes.jobs.oldest_pending_age"] = 0 });
    }

    [Fact]
    public async Task A_store_that_cannot_be_read_makes_the_gauges_report_nothing_rather_than_the_last_numbers()
    {
        var store = new InMemoryBookBytesStore(_time);
        var reads = DispatchProxy.Create<IJobStore, FailingStore>();
        ((FailingStore)(object)reads).Inner = store;
        using var services = new ServiceCollection().AddMetrics().BuildServiceProvider();
        var meters = services.GetRequiredService<IMeterFactory>();
        using var gauges = new JobQueueGauges(reads, _time, meters, Options.Create(new HostSettings()), NullLogger<JobQueueGauges>.Instance);
        await store.EnqueueAsync(new NewJob(JobKind.AudiobookGeneration, "{}"));
        await gauges.RefreshAsync(CancellationToken.None);
        var read = Observe(meters);

        ((FailingStore)(object)reads).Failing = true;
        await gauges.RefreshAsync(CancellationToken.None);

        read.Should().ContainKey("bookbytes.jobs.pending").WhoseValue.Should().Be(1);
        Observe(meters).Should().BeEmpty();
    }

    /// <summary>A store whose reads fail once <see cref="Failing"/> is set, as when the database is down.</summary>
    public class FailingStore : DispatchProxy
    {
        public IJobStore? Inner { get; set; }

        public bool Failing { get; set; }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
            => Failing ? throw new InvalidOperationException("The database is down.") : targetMethod!.Invoke(Inner, args);
    }

    /// <summary>Every measurement of the gauges made through <paramref name="meters"/> (so no other test's meter is read).</summary>
    private static Dictionary<string, double> Observe(IMeterFactory meters)
    {
        var seen = new Dictionary<string, double>(StringComparer.Ordinal);
        using var listener = new MeterListener
        {
            InstrumentPublished = (instrument, l) =>
            {
                if (ReferenceEquals(instrument.Meter.Scope, meters) && instrument.Name.StartsWith("bookbytes.jobs.", StringComparison.Ordinal))
                {
                    l.EnableMeasurementEvents(instrument);
                }
            },
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, value, _, _) => seen[instrument.Name] = value);
        listener.Start();
        listener.RecordObservableInstruments();
        return seen;
    }
}

using BookBytes.Jobs;
using Microsoft.Extensions.Logging;

namespace BookBytes.Pipeline.Jobs;

/// <summary>The runner's log messages.</summary>
internal sealed partial class JobRunner
{
    private static readonly Func<ILogger, Guid, JobKind, int, IDisposable?> JobScope =
        LoggerMessage.DefineScope<Guid, JobKind, int>("Job {JobId} ({JobType}), attempt {Attempt}");

    [LoggerMessage(Level = LogLevel.Information, Message = "Job runner not started: BookBytes:Worker:Enabled is false")]
    private static partial void LogDisabled(ILogger logger);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job runner {NodeId} started with {Workers} workers for job kinds {Kinds}")]
    private static partial void LogStarted(ILogger logger, string nodeId, int workers, string kinds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job runner not started: no {Services} is registered, and the jobs this node would run need it. The node serves the API only; register the missing services, or set BookBytes:Worker:Enabled to false to say so")]
    private static partial void LogMissingServices(ILogger logger, string services);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Worker {WorkerId} could not claim a job; it will poll again")]
    private static partial void LogClaimFailed(ILogger logger, Exception exception, string workerId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} ({JobType}) started, attempt {Attempt} of {MaxAttempts}, rescued {Rescues} times from workers that died")]
    private static partial void LogJobStarted(ILogger logger, Guid jobId, JobKind jobType, int attempt, int maxAttempts, int rescues);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} completed")]
    private static partial void LogJobCompleted(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} released to pending at shutdown")]
    private static partial void LogJobReleased(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId} attempt {Attempt} of {MaxAttempts} failed; retrying in {Delay}: {Error}")]
    private static partial void LogJobRetry(ILogger logger, Exception? exception, Guid jobId, int attempt, int maxAttempts, TimeSpan delay, string error);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId} failed for good with {ErrorCode}: {Error}")]
    private static partial void LogJobFailed(ILogger logger, Exception? exception, Guid jobId, string errorCode, string error);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: lease lost; another worker owns the job now, this one stops")]
    private static partial void LogLeaseLost(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Job {JobId} was cancelled; this worker stops it")]
    private static partial void LogJobCancelled(ILogger logger, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Job {JobId}: heartbeat failed")]
    private static partial void LogHeartbeatFailed(ILogger logger, Exception exception, Guid jobId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Listening for job notifications failed; polling continues and listening resumes shortly")]
    private static partial void LogListenFailed(ILogger logger, Exception exception);

    [LoggerMessage(Level = LogLevel.Warning, Message = "The host's shutdown timeout ran out first; the runner still lets running jobs reach a checkpoint (up to {ShutdownTimeout}) and releases them. Set HostOptions.ShutdownTimeout above BookBytes:Jobs:ShutdownTimeout")]
    private static partial void LogHostTimeoutShorter(ILogger logger, TimeSpan shutdownTimeout);

    [LoggerMessage(Level = LogLevel.Error, Message = "Job {JobId}: the outcome could not be recorded; the lease will expire and the job will be reclaimed")]
    private static partial void LogRecordFailed(ILogger logger, Exception exception, Guid jobId);
}

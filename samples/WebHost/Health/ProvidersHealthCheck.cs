using BookBytes.Llm;
using BookBytes.Tts;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace BookBytes.WebHost.Health;

/// <summary>
/// Reports whether language-model and text-to-speech providers are configured. Missing providers are
/// <see cref="HealthStatus.Degraded"/>, not unhealthy: such a node still serves lookups and reads, and
/// <c>POST /books/process</c> answers 503 <c>PROVIDER_NOT_CONFIGURED</c>.
/// </summary>
internal sealed class ProvidersHealthCheck(IServiceProvider services) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var llm = services.GetService<ILlmProvider>();
        var tts = services.GetService<ITtsProvider>();
        return Task.FromResult(llm is not null && tts is not null
            ? HealthCheckResult.Healthy($"{llm.GetType().Name}, {tts.GetType().Name}")
            : HealthCheckResult.Degraded((llm, tts) switch
            {
                (null, null) => "No language-model or text-to-speech provider. ",
                (null, _) => "No language-model provider. ",
                _ => "No text-to-speech provider. ",
            } + HostLog.ProviderSettings));
    }
}

using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace BookBytes.Providers.Local.Speech;

/// <summary>
/// Discovers the engines once per container: the start-up check and the <see cref="LocalSpeechEngines"/> singleton
/// share the one discovery, and what is missing is logged once. Engines the application registered already are the
/// discovery's answer as they are (the application has seen what is missing).
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class LocalSpeechDiscovery(ILogger<LocalSpeechDiscovery>? logger = null, LocalSpeechEngines? registered = null)
{
    private readonly Lock _gate = new();
    private LocalSpeechEngines? _engines = registered;

    public LocalSpeechEngines Get(LocalSpeechOptions options)
    {
        lock (_gate)
        {
            if (_engines is null)
            {
                _engines = LocalSpeechEngines.Discover(options);
                var log = (ILogger?)logger ?? NullLogger.Instance;
                foreach (var line in _engines.Missing)
                {
                    LocalSpeechLog.EngineMissing(log, line);
                }

                LocalSpeechLog.EnginesFound(log, _engines.Voices.Count, _engines.DefaultVoice, _engines.CanEncodeMp3);
            }

            return _engines;
        }
    }
}

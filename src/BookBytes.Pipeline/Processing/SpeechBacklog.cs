namespace BookBytes.Pipeline.Processing;

/// <summary>
/// The chapters this node is speaking, across all jobs: the text each has ready (whole sentences) and not yet cut into speech
/// calls, where each queues at the speech throttle, and how fast speech calls speak. A chapter sizes its next chunk to the ready
/// text shared out over the speech slots — short chunks when little waits (the first sound, the book's last minutes: no slot idles
/// while another speaks a long chunk), long ones when much waits (fewer calls) — and the chapter at the head of the queue, the one
/// a listener waits for, keeps its chunks short enough to end soon after its text.
/// </summary>
/// <remarks>Thread-safe.</remarks>
internal sealed class SpeechBacklog
{
    private readonly Lock _gate = new();
    private readonly Dictionary<object, long> _ready = [];
    private readonly Dictionary<object, long> _speaking = [];
    private const double Decay = 0.98;
    private double _n;
    private double _sx;
    private double _sy;
    private double _sxx;
    private double _sxy;

    /// <summary>Counts a chapter's speech begun, at its place at the speech throttle.</summary>
    /// <param name="chapter">The chapter's speech.</param>
    /// <param name="order">Where its calls queue (lower first).</param>
    public void Enter(object chapter, long order)
    {
        lock (_gate)
        {
            _speaking[chapter] = order;
        }
    }

    /// <summary>Counts a chapter's speech ended.</summary>
    /// <param name="chapter">The chapter's speech.</param>
    public void Leave(object chapter)
    {
        lock (_gate)
        {
            _speaking.Remove(chapter);
            _ready.Remove(chapter);
        }
    }

    /// <summary>Tells whether no chapter being spoken on the node queues before <paramref name="order"/>: the chapter a listener waits for next.</summary>
    /// <param name="order">A chapter's place at the speech throttle.</param>
    /// <returns><see langword="true"/> for the head of the queue.</returns>
    public bool IsHead(long order)
    {
        lock (_gate)
        {
            foreach (var other in _speaking.Values)
            {
                if (other < order)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Sets what a chapter has ready; 0 removes it.</summary>
    /// <param name="chapter">The chapter's speech.</param>
    /// <param name="characters">Its ready, uncut characters.</param>
    public void Set(object chapter, long characters)
    {
        lock (_gate)
        {
            if (characters > 0)
            {
                _ready[chapter] = characters;
            }
            else
            {
                _ready.Remove(chapter);
            }
        }
    }

    /// <summary>Gets the ready characters of all the chapters being spoken.</summary>
    public long Ready
    {
        get
        {
            lock (_gate)
            {
                long sum = 0;
                foreach (var characters in _ready.Values)
                {
                    sum += characters;
                }

                return sum;
            }
        }
    }

    /// <summary>
    /// Gets how the node's recent speech calls took their time: a fixed cost per call and a cost per character, fitted by least
    /// squares to the calls' lengths and durations (recent calls weigh most); <see langword="null"/> until the calls differ enough
    /// in length to tell the two apart.
    /// </summary>
    public (double PerCall, double PerCharacter)? SpeechTime
    {
        get
        {
            lock (_gate)
            {
                if (_n < 3)
                {
                    return null;
                }

                var meanX = _sx / _n;
                var meanY = _sy / _n;
                var variance = (_sxx / _n) - (meanX * meanX);
                if (variance < 100)
                {
                    return null; // lengths within about ten characters of each other: no slope to see
                }

                var perCharacter = Math.Max(0, ((_sxy / _n) - (meanX * meanY)) / variance);
                return (Math.Max(0, meanY - (perCharacter * meanX)), perCharacter);
            }
        }
    }

    /// <summary>Records a speech call that returned audio, into <see cref="SpeechTime"/>.</summary>
    /// <param name="characters">The characters it spoke.</param>
    /// <param name="took">How long it took.</param>
    public void RecordSpeech(int characters, TimeSpan took)
    {
        if (characters <= 0 || took <= TimeSpan.Zero)
        {
            return;
        }

        double x = characters, y = took.TotalSeconds;
        lock (_gate)
        {
            // Each older call weighs 0.98 of the next: about the last fifty calls count.
            _n = (_n * Decay) + 1;
            _sx = (_sx * Decay) + x;
            _sy = (_sy * Decay) + y;
            _sxx = (_sxx * Decay) + (x * x);
            _sxy = (_sxy * Decay) + (x * y);
        }
    }
}

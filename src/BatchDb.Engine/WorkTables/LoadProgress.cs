using BatchDb.Engine.Diagnostics;

namespace BatchDb.Engine.WorkTables;

/// <summary>
/// Progress of the bulk load, the longest step of an import: the file's bytes sent and the share of the file (the time
/// so far until the first bytes go); reported at most every 250 ms and at least every second.
/// The load is 5–60 % of the import (the checks and ANALYZE follow).
/// </summary>
internal sealed class LoadProgress : IProgress<long>, IDisposable
{
    private const int FirstPercent = 5;
    private const int LastPercent = 60;
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(250);

    private readonly IProgress<OperationProgress> _progress;
    private readonly string _activity;
    private readonly string _target;
    private readonly long _length;
    private readonly System.Diagnostics.Stopwatch _clock = System.Diagnostics.Stopwatch.StartNew();
    private readonly Timer _heartbeat;
    private readonly object _gate = new();
    private long _sent = -1;
    private bool _disposed;
    private TimeSpan _lastReport = TimeSpan.MinValue;

    public LoadProgress(IProgress<OperationProgress> progress, string activity, string target, long length)
    {
        (_progress, _activity, _target, _length) = (progress, activity, target, length);
        Publish(force: true);
        _heartbeat = new Timer(_ => Publish(force: true), null, TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(1));
    }

    public void Report(long value)
    {
        Interlocked.Exchange(ref _sent, value);
        Publish(force: value >= _length);
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _disposed = true;
        }

        _heartbeat.Dispose();
    }

    private void Publish(bool force)
    {
        lock (_gate)
        {
            var now = _clock.Elapsed;
            if (_disposed || (!force && now - _lastReport < MinimumInterval))
            {
                return;
            }

            _lastReport = now;
            var sent = Interlocked.Read(ref _sent);
            var elapsed = $"{now.TotalSeconds:F0} s";
            _progress.Report(sent < 0 || _length <= 0
                ? new OperationProgress(_activity, $"Loading {WorkTableOperations.FormatSize(_length)} into {_target} ({elapsed})", -1)
                : new OperationProgress(_activity, $"Loading into {_target}: {WorkTableOperations.FormatSize(sent)} of {WorkTableOperations.FormatSize(_length)} sent ({elapsed})",
                    FirstPercent + (int)((LastPercent - FirstPercent) * Math.Min(1.0, (double)sent / _length))));
        }
    }
}

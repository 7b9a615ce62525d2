namespace BatchDb.Bench.Measurement;

/// <summary>
/// What the readers saw over one window: latency from each query's scheduled start (so a stalled reader's
/// queued queries count as late, not as missing), errors, and reads that were empty, partial or mixed two versions.
/// </summary>
internal sealed record ReaderStats(
    int Reads,
    int Errors,
    int EmptyOrPartial,
    int Mixed,
    double P50Milliseconds,
    double P99Milliseconds,
    double MaxMilliseconds,
    IReadOnlyList<string> VersionsSeen)
{
    public int Anomalies => Errors + EmptyOrPartial + Mixed;

    public static ReaderStats Combine(IReadOnlyList<ReaderStats> windows) => new(
        windows.Sum(w => w.Reads),
        windows.Sum(w => w.Errors),
        windows.Sum(w => w.EmptyOrPartial),
        windows.Sum(w => w.Mixed),
        Samples.Median(windows.Select(w => w.P50Milliseconds)),
        Samples.Median(windows.Select(w => w.P99Milliseconds)),
        windows.Max(w => w.MaxMilliseconds),
        windows.SelectMany(w => w.VersionsSeen).Distinct().Order().ToList());
}

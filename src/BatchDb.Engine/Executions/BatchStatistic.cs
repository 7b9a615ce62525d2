using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Executions;

/// <summary>
/// A batch's runs over a window (seed 000 §6.2's performance query): each attempt counts as one execution;
/// Failed counts Failed, TimedOut and Abandoned; durations are over the executions that ended. A batch split among
/// workers has a row per share ("name share 1/3") and a row for the whole, whose <see cref="Shares"/> is the number
/// of shares it sums.
/// </summary>
public sealed record BatchStatistic(
    BatchDbConnection Connection,
    string BatchName,
    long Executions,
    long Succeeded,
    long Failed,
    long Running,
    TimeSpan? AverageDuration,
    TimeSpan? MaxDuration,
    long? MaxRecords,
    DateTimeOffset LastStartTime,
    DateTimeOffset Since,
    DateTimeOffset Until,
    int? Shares = null)
{
    /// <summary>The statistics with a row for each whole batch whose shares are among them, in name order.</summary>
    internal static IReadOnlyList<BatchStatistic> WithWholeBatches(IReadOnlyList<BatchStatistic> statistics)
    {
        var wholes = statistics
            .GroupBy(s => BatchShare.WholeBatchName(s.BatchName) ?? s.BatchName, StringComparer.Ordinal)
            .Where(batch => batch.Any(s => s.BatchName != batch.Key))
            .Select(batch => Whole(batch.Key, [.. batch]));
        return [.. statistics.Where(s => BatchShare.WholeBatchName(s.BatchName) is not null || !statistics.Any(o => BatchShare.WholeBatchName(o.BatchName) == s.BatchName))
            .Concat(wholes)
            .OrderBy(s => s.BatchName, StringComparer.Ordinal)];
    }

    private static BatchStatistic Whole(string batchName, IReadOnlyList<BatchStatistic> parts)
    {
        var ended = parts.Sum(p => p.Executions - p.Running);
        var average = ended == 0 ? (TimeSpan?)null
            : TimeSpan.FromTicks(parts.Sum(p => p.AverageDuration is { } a ? a.Ticks * (p.Executions - p.Running) : 0) / ended);
        return new BatchStatistic(parts[0].Connection, batchName, parts.Sum(p => p.Executions), parts.Sum(p => p.Succeeded), parts.Sum(p => p.Failed),
            parts.Sum(p => p.Running), average, parts.Max(p => p.MaxDuration), parts.Max(p => p.MaxRecords), parts.Max(p => p.LastStartTime),
            parts[0].Since, parts[0].Until, parts.Count(p => p.BatchName != batchName));
    }
}

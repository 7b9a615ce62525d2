using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Partitioning;

/// <summary>
/// Monthly RANGE partitions of staging tables (seed 000 §5.1): list them, plan and create the months ahead, plan
/// and retire those wholly older than a limit. Plans come first so that -WhatIf and -Confirm see each partition.
/// </summary>
internal static class MonthlyPartitions
{
    public static async Task<IReadOnlyList<MonthlyPartition>> GetAsync(BatchDbConnection connection, string table, CancellationToken cancellationToken)
    {
        await using var session = await OpenAsync(connection, cancellationToken).ConfigureAwait(false);
        var (name, partitions) = await ReadAsync(session, table, cancellationToken).ConfigureAwait(false);
        return partitions.Select(p => ToRecord(connection, name, p, MonthlyPartitionState.Attached)).ToList();
    }

    /// <summary>
    /// The partitions missing for the month of <paramref name="today"/> and the <paramref name="months"/> after it, and
    /// for any months between the last bounded partition and today, so that staging has no month without a partition.
    /// </summary>
    public static async Task<IReadOnlyList<MonthlyPartition>> PlanPremakeAsync(BatchDbConnection connection, string table, int months, DateOnly today,
        CancellationToken cancellationToken)
    {
        if (months is < 0 or > 120)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, $"-Premake must be between 0 and 120 months (it was {months}).");
        }

        await using var session = await OpenAsync(connection, cancellationToken).ConfigureAwait(false);
        var (name, partitions) = await ReadAsync(session, table, cancellationToken).ConfigureAwait(false);
        var first = new DateOnly(today.Year, today.Month, 1);
        var last = first.AddMonths(months);
        var bounded = partitions.Where(p => !p.IsDefault).ToList();
        var appendOnly = session.Require<IRangePartitionSession>().AddsRangePartitionsOnlyAtTheEnd;
        if (bounded.Where(p => p.To is not null).Select(p => p.To).Max() is { } end && DateOnly.FromDateTime(end) < first)
        {
            first = DateOnly.FromDateTime(end);
        }

        var planned = new List<MonthlyPartition>();
        for (var month = first; month <= last; month = month.AddMonths(1))
        {
            var from = month.ToDateTime(TimeOnly.MinValue);
            var to = month.AddMonths(1).ToDateTime(TimeOnly.MinValue);
            var overlapping = bounded.Where(p => (p.From ?? DateTime.MinValue) < to && (p.To ?? DateTime.MaxValue) > from && !(appendOnly && p.To is null)).ToList();
            if (overlapping.Any(p => (p.From ?? DateTime.MinValue) <= from && (p.To ?? DateTime.MaxValue) >= to))
            {
                continue;
            }

            if (overlapping.Count > 0 || appendOnly && bounded.Any(p => p.To is { } upper && upper > from))
            {
                throw new BatchDbException(ErrorIds.PartitionLayoutInvalid, BatchDbErrorKind.InvalidOperation,
                    $"The month {month:yyyy-MM} of {name} is partly covered by {string.Join(", ", overlapping.Select(p => p.Name).DefaultIfEmpty("a later partition"))}; " +
                    "BatchDb adds whole months only, after the last bounded partition on MySQL. Nothing was changed.")
                { Target = name.ToString() };
            }

            planned.Add(new MonthlyPartition(connection, name.ToString(), session.Require<IRangePartitionSession>().MonthlyPartitionName(name, month), from, to, false, 0, MonthlyPartitionState.Planned));
        }

        return planned;
    }

    /// <summary>The first day of the month <paramref name="months"/> before the month of <paramref name="today"/>: with 3 on 2026-11-22, 2026-08-01.</summary>
    public static DateOnly RetentionLimit(DateOnly today, int months) =>
        months >= 0
            ? new DateOnly(today.Year, today.Month, 1).AddMonths(-months)
            : throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, $"The retention must be 0 months or more (it was {months}).");

    /// <summary>The partitions whose whole range is before <paramref name="before"/>: their upper bound is at or before it.</summary>
    public static async Task<IReadOnlyList<MonthlyPartition>> PlanRetirementAsync(BatchDbConnection connection, string table, DateOnly before, CancellationToken cancellationToken)
    {
        await using var session = await OpenAsync(connection, cancellationToken).ConfigureAwait(false);
        var (name, partitions) = await ReadAsync(session, table, cancellationToken).ConfigureAwait(false);
        var limit = before.ToDateTime(TimeOnly.MinValue);
        return partitions.Where(p => !p.IsDefault && p.To is { } to && to <= limit)
            .Select(p => ToRecord(connection, name, p, MonthlyPartitionState.Planned)).ToList();
    }

    public static async Task<IReadOnlyList<MonthlyPartition>> CreateAsync(BatchDbConnection connection, IReadOnlyList<MonthlyPartition> planned, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        await using var session = await OpenAsync(connection, cancellationToken).ConfigureAwait(false);
        var created = new List<MonthlyPartition>(planned.Count);
        foreach (var partition in planned.OrderBy(p => p.From))
        {
            log.Verbose($"Adding partition {partition.Name} of {partition.Table} for [{partition.From:yyyy-MM-dd}, {partition.To:yyyy-MM-dd}).");
            await session.Require<IRangePartitionSession>().AddRangePartitionAsync(QualifiedName.Parse(partition.Table), new RangePartition(partition.Name, partition.From, partition.To, false, 0), cancellationToken)
                .ConfigureAwait(false);
            created.Add(partition with { State = MonthlyPartitionState.Created });
        }

        return created;
    }

    public static async Task<IReadOnlyList<MonthlyPartition>> RetireAsync(BatchDbConnection connection, IReadOnlyList<MonthlyPartition> planned, bool detach, IOperationLog log,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(planned);
        await using var session = await OpenAsync(connection, cancellationToken).ConfigureAwait(false);
        var retired = new List<MonthlyPartition>(planned.Count);
        foreach (var partition in planned)
        {
            log.Verbose($"{(detach ? "Detaching" : "Dropping")} partition {partition.Name} of {partition.Table} ({partition.Rows?.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) ?? "unknown number of"} rows).");
            var table = await session.Require<IRangePartitionSession>().RetireRangePartitionAsync(QualifiedName.Parse(partition.Table),
                new RangePartition(partition.Name, partition.From, partition.To, false, partition.Rows), detach, cancellationToken).ConfigureAwait(false);
            retired.Add(partition with { State = detach ? MonthlyPartitionState.Detached : MonthlyPartitionState.Dropped, DetachedTable = table?.ToString() });
        }

        return retired;
    }

    // Bounds of timestamptz and TIMESTAMP keys are read and written in UTC; the session must not return to the pool with that setting.
    private static async Task<DatabaseSession> OpenAsync(BatchDbConnection connection, CancellationToken cancellationToken)
    {
        var session = await connection.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        await session.UseUtcAsync(cancellationToken).ConfigureAwait(false);
        return session;
    }

    private static async Task<(QualifiedName Name, IReadOnlyList<RangePartition> Partitions)> ReadAsync(DatabaseSession session, string table, CancellationToken cancellationToken)
    {
        var name = await session.ResolveAsync(QualifiedName.Parse(table), cancellationToken).ConfigureAwait(false);
        var kind = await session.DescribeTableAsync(name, cancellationToken).ConfigureAwait(false);
        if (kind == TableKind.Missing)
        {
            throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound, $"The table {name} does not exist.") { Target = name.ToString() };
        }

        return (name, await session.Require<IRangePartitionSession>().DescribeRangePartitionsAsync(name, cancellationToken).ConfigureAwait(false));
    }

    private static MonthlyPartition ToRecord(BatchDbConnection connection, QualifiedName table, RangePartition p, MonthlyPartitionState state) =>
        new(connection, table.ToString(), p.Name, p.From, p.To, p.IsDefault, p.Rows, state);
}

using System.Globalization;
using System.Text.RegularExpressions;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>Monthly RANGE partitions: listed from pg_inherits, created with PARTITION OF, retired by DROP or DETACH.</summary>
internal sealed partial class PostgreSqlSession
{
    public async Task<IReadOnlyList<RangePartition>> DescribeRangePartitionsAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var key = await QueryAsync(
            """
            SELECT pt.partstrat::text, pt.partnatts, format_type(a.atttypid, a.atttypmod)
            FROM pg_partitioned_table pt JOIN pg_attribute a ON a.attrelid = pt.partrelid AND a.attnum = pt.partattrs[0]
            WHERE pt.partrelid = to_regclass(@p0)
            """,
            cancellationToken, Quote(table)).ConfigureAwait(false);
        if (key.Count == 0 || (string)key[0][0]! != "r" || Convert.ToInt32(key[0][1], CultureInfo.InvariantCulture) != 1
            || !((string)key[0][2]!).StartsWith("date", StringComparison.Ordinal) && !((string)key[0][2]!).StartsWith("timestamp", StringComparison.Ordinal))
        {
            throw NotMonthly(table, "partitioned BY RANGE on one date or timestamp column");
        }

        var rows = await QueryAsync(
            """
            SELECT c.relname, pg_get_expr(c.relpartbound, c.oid), c.reltuples::bigint
            FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = to_regclass(@p0)
            """,
            cancellationToken, Quote(table)).ConfigureAwait(false);
        return rows.Select(r =>
        {
            var bound = (string)r[1]!;
            var rowsEstimate = Convert.ToInt64(r[2], CultureInfo.InvariantCulture) is var n and >= 0 ? n : (long?)null;
            if (bound == "DEFAULT")
            {
                return new RangePartition((string)r[0]!, null, null, true, rowsEstimate);
            }

            var match = RangeBoundPattern().Match(bound);
            return match.Success
                ? new RangePartition((string)r[0]!, BoundValue(match.Groups["from"].Value), BoundValue(match.Groups["to"].Value), false, rowsEstimate)
                : throw NotMonthly(table, $"with single-column bounds (the partition {r[0]} is {bound})");
        }).OrderBy(p => p.IsDefault).ThenBy(p => p.From ?? DateTime.MinValue).ToList();
    }

    public string MonthlyPartitionName(QualifiedName table, DateOnly month) =>
        FormattableString.Invariant($"{table.Name}_{month:yyyy}_{month:MM}");

    public bool AddsRangePartitionsOnlyAtTheEnd => false;

    public Task AddRangePartitionAsync(QualifiedName table, RangePartition partition, CancellationToken cancellationToken) =>
        ExecuteAsync(
            $"CREATE TABLE {Quote(table.WithName(partition.Name))} PARTITION OF {Quote(table)} FOR VALUES FROM ({DateLiteral(partition.From!.Value)}) TO ({DateLiteral(partition.To!.Value)})",
            cancellationToken);

    public async Task<QualifiedName?> RetireRangePartitionAsync(QualifiedName table, RangePartition partition, bool detach, CancellationToken cancellationToken)
    {
        var partitionTable = table.WithName(partition.Name);
        if (detach)
        {
            await ExecuteAsync($"ALTER TABLE {Quote(table)} DETACH PARTITION {Quote(partitionTable)}", cancellationToken).ConfigureAwait(false);
            return partitionTable;
        }

        await ExecuteAsync($"DROP TABLE {Quote(partitionTable)}", cancellationToken).ConfigureAwait(false);
        return null;
    }

    private static DateTime? BoundValue(string text) => text switch
    {
        "MINVALUE" or "MAXVALUE" => null,
        _ => DateTimeOffset.TryParse(text.Trim('\''), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value)
            ? DateTime.SpecifyKind(value.UtcDateTime, DateTimeKind.Unspecified)
            : throw new FormatException($"Unexpected partition bound {text}."),
    };

    private static string DateLiteral(DateTime value) => $"'{value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)}'";

    private static BatchDbException NotMonthly(QualifiedName table, string what) =>
        new(ErrorIds.PartitionLayoutInvalid, BatchDbErrorKind.InvalidOperation,
            $"The table {table} is not {what}, so it cannot have monthly partitions. Create it with PARTITION BY RANGE (created_at).")
        { Target = table.ToString() };

    [GeneratedRegex(@"^FOR VALUES FROM \((?<from>[^,]+)\) TO \((?<to>[^,]+)\)$")]
    private static partial Regex RangeBoundPattern();
}

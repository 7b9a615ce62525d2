using System.Globalization;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// Monthly RANGE partitions on MySQL and MariaDB: RANGE COLUMNS (created_at), RANGE (TO_DAYS(created_at)) or RANGE
/// (UNIX_TIMESTAMP(created_at)). A partition is added at the end, splitting a MAXVALUE partition if there is one;
/// retiring drops it, or on MariaDB 10.7+ converts it into a table of its own.
/// </summary>
internal sealed partial class MySqlSession
{
    private const int ToDaysOfYearOne = 366;

    public async Task<IReadOnlyList<RangePartition>> DescribeRangePartitionsAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var (kind, rows) = await ReadRangeLayoutAsync(table, cancellationToken).ConfigureAwait(false);
        var partitions = new List<RangePartition>(rows.Count);
        DateTime? from = null;
        foreach (var row in rows)
        {
            var description = (string)row[1]!;
            var to = description == "MAXVALUE" ? (DateTime?)null : BoundValue(kind, description);
            partitions.Add(new RangePartition((string)row[0]!, from, to, false, row[2] is null ? null : Convert.ToInt64(row[2], CultureInfo.InvariantCulture)));
            from = to;
        }

        return partitions;
    }

    public string MonthlyPartitionName(QualifiedName table, DateOnly month) => FormattableString.Invariant($"p{month:yyyy}_{month:MM}");

    public bool AddsRangePartitionsOnlyAtTheEnd => true;

    public async Task AddRangePartitionAsync(QualifiedName table, RangePartition partition, CancellationToken cancellationToken)
    {
        var (kind, rows) = await ReadRangeLayoutAsync(table, cancellationToken).ConfigureAwait(false);
        var definition = $"PARTITION {Quote(partition.Name)} VALUES LESS THAN ({BoundLiteral(kind, partition.To!.Value)})";
        var catchAll = rows.Count > 0 && (string)rows[^1][1]! == "MAXVALUE" ? (string)rows[^1][0]! : null;
        await ExecuteAsync(catchAll is null
            ? $"ALTER TABLE {Quote(table)} ADD PARTITION ({definition})"
            : $"ALTER TABLE {Quote(table)} REORGANIZE PARTITION {Quote(catchAll)} INTO ({definition}, PARTITION {Quote(catchAll)} VALUES LESS THAN MAXVALUE)",
            cancellationToken, NoTimeout).ConfigureAwait(false);
    }

    public async Task<QualifiedName?> RetireRangePartitionAsync(QualifiedName table, RangePartition partition, bool detach, CancellationToken cancellationToken)
    {
        if (!detach)
        {
            await ExecuteAsync($"ALTER TABLE {Quote(table)} DROP PARTITION {Quote(partition.Name)}", cancellationToken, NoTimeout).ConfigureAwait(false);
            return null;
        }

        if (!Features.IsMariaDb || Features.Version < new Version(10, 7))
        {
            throw new BatchDbException(ErrorIds.NotSupported, BatchDbErrorKind.NotSupported,
                $"Detaching a partition into a table needs MariaDB 10.7 or later (CONVERT PARTITION … TO TABLE); this server is {ServerVersion}. Retire it without -Detach to drop it.")
            { Target = table.ToString() };
        }

        var detached = table.WithName($"{table.Name}_{partition.Name}");
        await ExecuteAsync($"ALTER TABLE {Quote(table)} CONVERT PARTITION {Quote(partition.Name)} TO TABLE {Quote(detached)}", cancellationToken, NoTimeout).ConfigureAwait(false);
        return detached;
    }

    private async Task<(string Kind, List<object?[]> Rows)> ReadRangeLayoutAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT PARTITION_NAME, PARTITION_DESCRIPTION, TABLE_ROWS, PARTITION_METHOD, LOWER(PARTITION_EXPRESSION)
            FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 ORDER BY PARTITION_ORDINAL_POSITION
            """,
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        if (rows.Count == 0)
        {
            throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound, $"The table {table} does not exist.") { Target = table.ToString() };
        }

        var method = rows[0][3] as string;
        var expression = (rows[0][4] as string ?? string.Empty).Replace("`", string.Empty, StringComparison.Ordinal);
        var kind = method switch
        {
            "RANGE COLUMNS" when !expression.Contains(',', StringComparison.Ordinal) => "columns",
            "RANGE" when expression.StartsWith("to_days(", StringComparison.Ordinal) => "to_days",
            "RANGE" when expression.StartsWith("unix_timestamp(", StringComparison.Ordinal) => "unix_timestamp",
            _ => throw new BatchDbException(ErrorIds.PartitionLayoutInvalid, BatchDbErrorKind.InvalidOperation,
                $"The table {table} is not partitioned by RANGE COLUMNS on one date column, RANGE (TO_DAYS(…)) or RANGE (UNIX_TIMESTAMP(…)) " +
                $"(it is {method ?? "not partitioned"}{(expression.Length == 0 ? string.Empty : $" ({expression})")}), so it cannot have monthly partitions.")
            { Target = table.ToString() },
        };
        return (kind, rows);
    }

    private static DateTime BoundValue(string kind, string description) => kind switch
    {
        "to_days" => new DateTime(1, 1, 1).AddDays(long.Parse(description, CultureInfo.InvariantCulture) - ToDaysOfYearOne),
        "unix_timestamp" => DateTime.SpecifyKind(DateTime.UnixEpoch.AddSeconds(long.Parse(description, CultureInfo.InvariantCulture)), DateTimeKind.Unspecified),
        _ => DateTime.Parse(description.Trim('\''), CultureInfo.InvariantCulture),
    };

    private static string BoundLiteral(string kind, DateTime value)
    {
        var date = value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        return kind switch
        {
            "to_days" => $"TO_DAYS('{date}')",
            "unix_timestamp" => FormattableString.Invariant($"{(long)(value - DateTime.UnixEpoch).TotalSeconds}"),
            _ => $"'{date}'",
        };
    }
}

using BatchDb.Engine.Csv;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Switching;

/// <summary>Whether a work table's rows belong in the partition it is to replace.</summary>
internal static class PartitionFit
{
    /// <summary>
    /// Refuses a work table with rows outside the partition: the first ones by primary key, with their file lines when
    /// <paramref name="linesOf"/> can find them (an import), else their partition key values.
    /// </summary>
    public static async Task ThrowIfRowsOutsideAsync(DatabaseSession session, QualifiedName work, PartitionInfo partition, string source, CancellationToken cancellationToken,
        Func<IReadOnlyList<IReadOnlyList<(string Column, string Value)>>, Task<IReadOnlyDictionary<string, long>>>? linesOf = null)
    {
        var outside = await session.Require<ISwapSession>().FindRowsOutsideAsync(work, partition, cancellationToken).ConfigureAwait(false);
        if (outside.Count == 0)
        {
            return;
        }

        var samples = string.Join(", ", outside.Samples.Select(s => $"{s.Key} ({s.Rows} row{(s.Rows == 1 ? string.Empty : "s")})"));
        var message = $"{source}: {outside.Count} row(s) do not belong in partition {partition.Name} of {partition.Table} " +
            $"({partition.Describe()}); their {partition.Expression} values: {samples}.";
        if (outside.KeyRows.Count > 0)
        {
            var lines = linesOf is null ? new Dictionary<string, long>() : await linesOf(outside.KeyRows).ConfigureAwait(false);
            var listed = outside.KeyRows.Select(row =>
            {
                var key = string.Join(", ", row.Select(c => $"{c.Column} {c.Value}"));
                return lines.TryGetValue(CsvRecordLines.KeyText(row.Select(c => c.Value).ToList()), out var line) ? $"line {line}: {key}" : key;
            });
            var more = outside.Count > outside.KeyRows.Count ? $"{Environment.NewLine}  … and {outside.Count - outside.KeyRows.Count} more" : string.Empty;
            message += $"{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", listed)}{more}";
        }

        throw new BatchDbException(ErrorIds.RowsOutsidePartition, BatchDbErrorKind.InvalidData, message) { Target = source };
    }
}

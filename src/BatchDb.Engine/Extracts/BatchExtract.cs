using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Extracts;

/// <summary>
/// Incremental extract (Copy-BatchData). The window is (stored mark, largest value now in the source]. In one
/// destination transaction the staging rows of that window are deleted, the source rows are streamed in through
/// the bulk path, earlier copies of the same keys are removed, and the new mark is written to the ledger: a
/// failure anywhere leaves staging and the mark as they were, and a re-run copies the window once.
/// </summary>
internal static class BatchExtract
{
    private const int ProgressEveryRows = 50_000;

    public static async Task<CopyResult> CopyAsync(BatchDbConnection destination, CopyRequest request, long? batchId,
        IProgress<OperationProgress>? progress, IOperationLog log, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var stopwatch = Stopwatch.StartNew();
        var watermarkColumn = QualifiedName.ValidateIdentifier(request.WatermarkColumn, "watermark column");
        foreach (var key in request.KeyColumns)
        {
            QualifiedName.ValidateIdentifier(key, "key column");
        }

        if (request.BatchIdColumn is { } batchIdColumn)
        {
            QualifiedName.ValidateIdentifier(batchIdColumn, "batch id column");
        }

        await using var source = await request.Source.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        await source.UseUtcAsync(cancellationToken).ConfigureAwait(false);
        var (sourceName, baseQuery) = await DescribeSourceAsync(source, request, cancellationToken).ConfigureAwait(false);
        var sourceColumns = await source.DescribeResultAsync(baseQuery, cancellationToken).ConfigureAwait(false);

        await using var target = await destination.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        await target.UseUtcAsync(cancellationToken).ConfigureAwait(false);
        var table = await target.ResolveAsync(QualifiedName.Parse(request.Table), cancellationToken).ConfigureAwait(false);
        if (!await target.TableExistsAsync(table, cancellationToken).ConfigureAwait(false))
        {
            throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The staging table {table} does not exist on {destination}. Create it with the source's columns and a {request.BatchIdColumn ?? "batch id"} column.")
            { Target = table.ToString() };
        }

        var columns = MapColumns(sourceColumns, await target.DescribeColumnsAsync(table, cancellationToken).ConfigureAwait(false), request, sourceName, table);
        var mark = Find(columns, watermarkColumn, sourceName, "watermark column");
        var keys = request.KeyColumns.Select(k => Find(columns, k, sourceName, "key column")).ToList();

        var ledger = await Ledger.RequireWatermarksAsync(target, destination, cancellationToken).ConfigureAwait(false);
        var tableName = table.ToString();
        var from = request.From is { } start
            ? Watermark.FromArgument(mark.Source, start)
            : await ledger.FindWatermarkAsync(sourceName, tableName, cancellationToken).ConfigureAwait(false);
        if (from is not null && !string.Equals(from.Column, mark.Source, StringComparison.OrdinalIgnoreCase))
        {
            throw new BatchDbException(ErrorIds.WatermarkConflict, BatchDbErrorKind.InvalidArgument,
                $"The stored watermark of {sourceName} into {table} is on the column {from.Column}, not {mark.Source}. " +
                "Copy with -WatermarkColumn " + from.Column + ", or give -From to start a watermark on the new column.")
            { Target = tableName };
        }

        var fromText = from?.ToString() ?? "the beginning";
        var quotedMark = source.QuoteIdentifier(mark.Source);
        var upper = (await source.QueryRowsAsync(
            $"SELECT MAX({quotedMark}) FROM ({baseQuery}) AS batchdb_source{(from is null ? string.Empty : $" WHERE {quotedMark} > @p0")}",
            cancellationToken, from is null ? [] : [from.Value]).ConfigureAwait(false))[0][0];
        var stamp = batchId?.ToString(CultureInfo.InvariantCulture);
        if (upper is null)
        {
            log.Verbose($"No rows of {sourceName} past {mark.Source} = {fromText}; {table} and the watermark are unchanged.");
            return new CopyResult(destination, sourceName, tableName, 0, 0, mark.Source, from?.Value, from?.Value, stamp, stopwatch.Elapsed);
        }

        var to = Watermark.From(mark.Source, upper);
        log.Verbose($"Copying rows of {sourceName} with {mark.Source} in ({fromText}, {to}] into {table} as batch {stamp ?? "(none)"}.");
        object?[] window = from is null ? [to.Value] : [from.Value, to.Value];
        var activity = $"Copying {sourceName} into {table}";
        progress?.Report(new OperationProgress(activity, "Starting", -1));

        await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            string[] bounds = from is null ? ["@p0"] : ["@p0", "@p1"];
            var replaced = (long)await target.ExecuteStatementAsync(
                $"DELETE FROM {target.QuoteName(table)} WHERE {InWindow(target, null, mark.Target, bounds)}", cancellationToken, window).ConfigureAwait(false);
            var targetColumns = columns.Select(c => c.Target).Concat(request.BatchIdColumn is { } b ? [b] : []).ToList();
            var reported = 0L;
            void Sent(long sent)
            {
                if (sent - reported >= ProgressEveryRows)
                {
                    reported = sent;
                    progress?.Report(new OperationProgress(activity, $"{sent:N0} rows sent", -1));
                }
            }

            // The fastest path both ends offer: the server's own COPY text between two PostgreSQL databases, its CSV from
            // PostgreSQL into MySQL, else values read and written row by row. The first two take no parameters, so the
            // window and the batch id go into the query as literals of the source's SQL.
            string ExportQuery(Func<object, string> literal) =>
                $"SELECT batchdb_source.*{(request.BatchIdColumn is null ? string.Empty : ", " + literal(stamp!))} FROM ({baseQuery}) AS batchdb_source " +
                $"WHERE {InWindow(source, null, mark.Source, window.Select(v => literal(v!)).ToArray())}";
            long copied;
            CsvExport? export = null;
            if (target is ICopyThroughSession through && source.GetType() == target.GetType())
            {
                copied = await through.CopyThroughAsync(source, ExportQuery(through.Literal), table, targetColumns, Sent, cancellationToken).ConfigureAwait(false);
            }
            else if (target is ICsvLoadSession loader && source is ICsvExportSession exporter
                && (export = await exporter.ExportCsvAsync(ExportQuery(exporter.Literal), loader.CsvNullMarker, cancellationToken).ConfigureAwait(false)) is not null)
            {
                await using (export)
                {
                    var counter = new CsvRowCounter(export.Csv, Sent);
                    await loader.LoadCsvAsync(table, targetColumns, counter, cancellationToken).ConfigureAwait(false);
                    copied = counter.Rows;
                }
            }
            else
            {
                await using var writer = await target.Require<IBulkCopySession>().BeginBulkInsertAsync(table, targetColumns, cancellationToken).ConfigureAwait(false);
                copied = await writer.CopyRowsAsync(source, $"SELECT * FROM ({baseQuery}) AS batchdb_source WHERE {InWindow(source, null, mark.Source, bounds)}", window,
                    request.BatchIdColumn is null ? [] : [stamp], Sent, cancellationToken).ConfigureAwait(false);
            }

            progress?.Report(new OperationProgress(activity, $"{copied:N0} rows sent; committing", -1));

            if (keys.Count > 0)
            {
                var sameKey = string.Join(" AND ", keys.Select(k => $"n.{target.QuoteIdentifier(k.Target)} = d.{target.QuoteIdentifier(k.Target)}"));
                replaced += await target.ExecuteStatementAsync(
                    target.Require<IBulkCopySession>().DeleteWithPartner(table, $"{sameKey} AND {InWindow(target, "n", mark.Target, bounds)} AND NOT ({InWindow(target, "d", mark.Target, bounds)})"),
                    cancellationToken, window).ConfigureAwait(false);
            }

            await ledger.SaveWatermarkAsync(sourceName, tableName, to, batchId, cancellationToken).ConfigureAwait(false);
            await target.CommitAsync(cancellationToken).ConfigureAwait(false);
            log.Verbose($"Committed {copied:N0} rows into {table} ({replaced:N0} replaced); the watermark is now {to}.");
            return new CopyResult(destination, sourceName, tableName, copied, replaced, mark.Source, from?.Value, to.Value, stamp, stopwatch.Elapsed);
        }
        catch
        {
            await target.RollBackQuietlyAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The source's stable name in the ledger, and the query whose rows are copied.</summary>
    private static async Task<(string Name, string Query)> DescribeSourceAsync(DatabaseSession source, CopyRequest request, CancellationToken cancellationToken)
    {
        var origin = $"{request.Source.Provider.ToString().ToLowerInvariant()}://{request.Source.Server}:{request.Source.Port}/{request.Source.Database}";
        if (request.SourceTable is null == request.Query is null)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, "Give either a source table or a query, not both.");
        }

        if (request.Query is { } query)
        {
            var trimmed = query.Trim().TrimEnd(';').Trim();
            if (trimmed.Length == 0)
            {
                throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, "The query is empty.");
            }

            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(trimmed)))[..16].ToLowerInvariant();
            return ($"{origin}/query:{hash}", trimmed);
        }

        var table = await source.ResolveAsync(QualifiedName.Parse(request.SourceTable!), cancellationToken).ConfigureAwait(false);
        if (!await source.TableExistsAsync(table, cancellationToken).ConfigureAwait(false))
        {
            throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The source table {table} does not exist on {request.Source}.") { Target = table.ToString() };
        }

        return ($"{origin}/{table}", $"SELECT * FROM {source.QuoteName(table)}");
    }

    /// <summary>Each source column with the staging column of the same name (exact, then ignoring case).</summary>
    private static List<(string Source, string Target)> MapColumns(IReadOnlyList<string> sourceColumns, IReadOnlyList<TableColumn> targetColumns,
        CopyRequest request, string sourceName, QualifiedName table)
    {
        var names = targetColumns.Select(c => c.Name).ToList();
        if (request.BatchIdColumn is { } batchId)
        {
            var stampColumn = ColumnNames.Find(names, batchId)
                ?? throw new BatchDbException(ErrorIds.ColumnNotFound, BatchDbErrorKind.InvalidArgument,
                    $"The staging table {table} has no column {batchId} for the batch id. Add it (VARCHAR(50)), or give -BatchIdColumn.") { Target = table.ToString() };
            if (sourceColumns.Any(c => string.Equals(c, stampColumn, StringComparison.OrdinalIgnoreCase)))
            {
                throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                    $"{sourceName} has a column {stampColumn} too, which the batch id would overwrite. Leave it out with -Query.") { Target = sourceName };
            }
        }

        var mapped = new List<(string, string)>(sourceColumns.Count);
        var missing = new List<string>();
        foreach (var column in sourceColumns)
        {
            var match = ColumnNames.Find(names, column);
            if (match is null)
            {
                missing.Add(column);
            }
            else
            {
                mapped.Add((column, match));
            }
        }

        return missing.Count == 0
            ? mapped
            : throw new BatchDbException(ErrorIds.ColumnNotFound, BatchDbErrorKind.InvalidArgument,
                $"The staging table {table} has no column for {string.Join(", ", missing)} of {sourceName}. Its columns are: {string.Join(", ", names)}. " +
                "Add the columns, or select only the ones to copy with -Query.")
            { Target = table.ToString() };
    }

    private static (string Source, string Target) Find(List<(string Source, string Target)> columns, string name, string sourceName, string role) =>
        ColumnNames.Find(columns, c => c.Source, name) is { Source: not null } found
            ? found
            : throw new BatchDbException(ErrorIds.ColumnNotFound, BatchDbErrorKind.InvalidArgument,
                $"The {role} {name} is not a column of {sourceName}. Its columns are: {string.Join(", ", columns.Select(c => c.Source))}.") { Target = name };

    /// <summary>The window's condition on its bounds (parameters or literals): the upper one alone on the first copy, else the lower and the upper.</summary>
    private static string InWindow(DatabaseSession session, string? alias, string column, IReadOnlyList<string> bounds)
    {
        var quoted = (alias is null ? string.Empty : alias + ".") + session.QuoteIdentifier(column);
        return bounds.Count == 1 ? $"{quoted} <= {bounds[0]}" : $"{quoted} > {bounds[0]} AND {quoted} <= {bounds[1]}";
    }
}

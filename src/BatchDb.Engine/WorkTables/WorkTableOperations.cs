using System.Diagnostics;
using System.Globalization;
using BatchDb.Engine.Connections;
using BatchDb.Engine.Csv;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Partitioning;
using BatchDb.Engine.Sql;
using BatchDb.Engine.Switching;

namespace BatchDb.Engine.WorkTables;

/// <summary>Creating work tables and loading them: everything before the swap. The live table is never written.</summary>
internal static class WorkTableOperations
{
    /// <summary>
    /// From this file size on, the work table's indexes are built after the load (see docs/benchmarks.md, "Index after
    /// load"); below it, keeping them up to date costs less than dropping and building them.
    /// </summary>
    internal const long IndexAfterLoadBytes = 1L << 20;

    private static readonly TimeSpan CountStopGrace = TimeSpan.FromSeconds(5);

    /// <summary>
    /// The work table and what it stands in for, resolved against the catalog as a load or swap would resolve them
    /// ("shop.T_STOCK_P_S01, the work table of partition P_S01 of shop.T_STOCK"), so that -WhatIf and -Confirm name
    /// real objects; fails as the operation would for a missing table or partition.
    /// </summary>
    public static async Task<string> DescribeAsync(BatchDbConnection connection, string table, string? partition, string? workTable, CancellationToken cancellationToken)
    {
        var names = SwapTarget.Parse(table, partition, workTable);
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var target = await SwapTarget.ResolveAsync(session, names, cancellationToken).ConfigureAwait(false);
        return $"{target.WorkTable}, the {(target.View is null ? "work" : "off-screen")} table of {target.Describe()}";
    }

    /// <summary>The rows in the work table of the target, or null when it does not exist.</summary>
    public static async Task<long?> CountWorkTableRowsAsync(BatchDbConnection connection, string table, string? partition, string? workTable, CancellationToken cancellationToken)
    {
        var names = SwapTarget.Parse(table, partition, workTable);
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var target = await SwapTarget.ResolveAsync(session, names, cancellationToken).ConfigureAwait(false);
        return await session.TableExistsAsync(target.WorkTable, cancellationToken).ConfigureAwait(false)
            ? await session.Require<ISwapSession>().CountRowsAsync(target.WorkTable, null, cancellationToken).ConfigureAwait(false)
            : null;
    }

    public static async Task<WorkTableInfo> CreateAsync(BatchDbConnection connection, WorkTableRequest request, IOperationLog log, CancellationToken cancellationToken)
    {
        var names = SwapTarget.Parse(request.Table, request.Partition, request.WorkTable);
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var target = await SwapTarget.ResolveAsync(session, names, cancellationToken).ConfigureAwait(false);
        var work = target.WorkTable;
        if (await session.TableExistsAsync(work, cancellationToken).ConfigureAwait(false))
        {
            if (!request.Force)
            {
                throw new BatchDbException(ErrorIds.WorkTableExists, BatchDbErrorKind.InvalidOperation,
                    $"The work table {work} already exists. Use -Force to drop and recreate it, or Import-WorkTable to load it as it is.")
                { Target = work.ToString() };
            }

            log.Verbose($"Dropping the existing work table {work}.");
            await session.DropTableAsync(work, cancellationToken).ConfigureAwait(false);
        }

        log.Verbose($"Creating {work} with the definition of {target.Describe()}{(target.Partition is null ? string.Empty : $" ({target.Partition.Describe()})")}.");
        await session.Require<IWorkTableSession>().CreateWorkTableAsync(target.LiveTable, target.Partition, work, cancellationToken).ConfigureAwait(false);
        return new WorkTableInfo(connection, target.Table.ToString(), target.Partition?.Name, work.ToString(), target.Partition?.Describe(), Created: true);
    }

    public static async Task<ImportResult> ImportAsync(BatchDbConnection connection, ImportRequest request, IProgress<OperationProgress>? progress, IOperationLog log, CancellationToken cancellationToken)
    {
        var stopwatch = Stopwatch.StartNew();
        var names = SwapTarget.Parse(request.Table, request.Partition, request.WorkTable);
        RowRatio.Validate(request.MinimumRowRatio);

        var activity = $"Importing {Path.GetFileName(request.Path)}";
        var file = CsvFileInspector.Inspect(request.Path, request.Format);
        if (!file.HasDataAfterPreamble && !request.Force)
        {
            throw new BatchDbException(ErrorIds.CsvEmpty, BatchDbErrorKind.InvalidData,
                $"{request.Path}: the file has no data rows. Nothing was loaded and {request.Table} is unchanged; use -Force to load an empty table.")
            { Target = request.Path };
        }

        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var (workTables, swaps) = (session.Require<IWorkTableSession>(), session.Require<ISwapSession>());
        var target = await SwapTarget.ResolveAsync(session, names, cancellationToken).ConfigureAwait(false);
        var (table, partition, work) = (target.Table, target.Partition, target.WorkTable);
        if (!await session.TableExistsAsync(work, cancellationToken).ConfigureAwait(false))
        {
            log.Verbose($"The work table {work} does not exist; creating it from {target.Describe()}.");
            await workTables.CreateWorkTableAsync(target.LiveTable, partition, work, cancellationToken).ConfigureAwait(false);
        }

        progress?.Report(new OperationProgress(activity, $"Emptying {work}", 0));
        await session.TruncateAsync(work, cancellationToken).ConfigureAwait(false);

        // The live rows, for the row-ratio check, are counted on a session of their own while the file loads: the
        // count reads what the load never writes, and at a million rows it is a scan of its own.
        using var counting = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var liveCount = CountRowsAsync(connection, table, partition, counting.Token);
        try
        {
            if (partition is not null)
            {
                await swaps.ConstrainToPartitionAsync(partition, work, cancellationToken).ConfigureAwait(false);
            }

            long rows;
            using (var loading = progress is null ? null : new LoadProgress(progress, activity, work.ToString(), file.Length))
            {
                var indexAfter = file.Length >= request.IndexAfterLoadBytes;
                rows = await workTables.LoadThenIndexAsync(target.LiveTable, work, indexAfter,
                    token => workTables.LoadCsvAsync(work, file, request.Format, loading, token),
                    () =>
                    {
                        loading?.Dispose();
                        progress?.Report(new OperationProgress(activity, $"Building the indexes of {work}", 60));
                    },
                    cancellationToken).ConfigureAwait(false);
            }

            log.Verbose($"Loaded {rows} rows from {request.Path} into {work} in {stopwatch.Elapsed.TotalSeconds:F2} s.");

            if (partition is not null)
            {
                progress?.Report(new OperationProgress(activity, $"Checking that every row belongs in {partition.Name}", 60));
                await PartitionFit.ThrowIfRowsOutsideAsync(session, work, partition, request.Path, cancellationToken,
                    rows => LinesOfAsync(session, work, file, request.Format, rows, cancellationToken)).ConfigureAwait(false);
            }

            var liveRows = await liveCount.ConfigureAwait(false);
            ThrowIfTooFewRows(request, target, rows, liveRows);

            if (partition is null || !swaps.PartitionedTableAnalyzeCoversPartitions)
            {
                progress?.Report(new OperationProgress(activity, $"Analyzing {work}", 85));
                await session.AnalyzeAsync(work, cancellationToken).ConfigureAwait(false);
            }

            progress?.Report(new OperationProgress(activity, "Done", 100));
            return new ImportResult(connection, table.ToString(), partition?.Name, work.ToString(), request.Path, rows, liveRows, stopwatch.Elapsed);
        }
        catch (Exception ex)
        {
            // The count ends with the import; on a server that stopped answering it may not hear the cancel, and
            // it is left to end with its session rather than hold back the load's error, which is the one to report.
            await counting.CancelAsync().ConfigureAwait(false);
            _ = liveCount.ContinueWith(count => count.Exception, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
            await Task.WhenAny(liveCount, Task.Delay(CountStopGrace, CancellationToken.None)).ConfigureAwait(false);

            // A refused or half-done load must never be switched in by mistake: leave the work table empty. On a lost
            // connection this fails too; the server rolled the load back, and the load's error is the one to report.
            var emptied = true;
            try
            {
                await session.TruncateAsync(work, CancellationToken.None).ConfigureAwait(false);
            }
            catch (Exception cleanupFailure) when (cleanupFailure is BatchDbException or InvalidOperationException)
            {
                emptied = false;
                log.Warning($"The work table {work} could not be emptied after the failed load: {cleanupFailure.Message}");
            }

            if (ex is BatchDbException failure)
            {
                var state = emptied ? $"The work table {work} was emptied" : $"The work table {work} could not be emptied (its load was rolled back)";
                throw new BatchDbException(failure.ErrorId, failure.Kind,
                    $"{failure.Message}{Environment.NewLine}{state}; {table} is unchanged.", failure, failure.Sql)
                { Target = failure.Target ?? request.Path };
            }

            throw;
        }
    }

    private static async Task<long> CountRowsAsync(BatchDbConnection connection, QualifiedName table, PartitionInfo? partition, CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.Require<ISwapSession>().CountRowsAsync(table, partition, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The file lines of the given rows, found by their primary key values in the file's fields.</summary>
    private static async Task<IReadOnlyDictionary<string, long>> LinesOfAsync(DatabaseSession session, QualifiedName work, CsvFileInfo file, CsvFormat format,
        IReadOnlyList<IReadOnlyList<(string Column, string Value)>> rows, CancellationToken cancellationToken)
    {
        var fieldColumns = format.Columns ?? file.HeaderNames?.Cast<string?>().ToList()
            ?? (await session.DescribeColumnsAsync(work, cancellationToken).ConfigureAwait(false)).Select(c => (string?)c.Name).ToList();
        var keyFields = rows[0].Select(c => ColumnNames.IndexOf(fieldColumns, c.Column)).ToList();
        return keyFields.Any(f => f < 0)
            ? new Dictionary<string, long>()
            : CsvRecordLines.FindKeys(file, format, keyFields, rows.Select(r => (IReadOnlyList<string>)r.Select(c => c.Value).ToList()));
    }

    private static void ThrowIfTooFewRows(ImportRequest request, SwapTarget target, long rows, long liveRows)
    {
        if (request.Force)
        {
            return;
        }

        if (rows == 0)
        {
            throw new BatchDbException(ErrorIds.CsvEmpty, BatchDbErrorKind.InvalidData,
                $"{request.Path}: the file has no data rows; use -Force to load an empty table.") { Target = request.Path };
        }

        if (RowRatio.IsTooLow(rows, liveRows, request.MinimumRowRatio))
        {
            throw new BatchDbException(ErrorIds.RowCountTooLow, BatchDbErrorKind.InvalidData,
                $"{request.Path}: the file has {rows} rows but {target.Describe()} has {liveRows}; " +
                $"that is below the minimum ratio of {RowRatio.Format(request.MinimumRowRatio)}. " +
                "If the file is complete, use -Force or a lower -MinimumRowRatio.")
            { Target = request.Path };
        }
    }

    internal static string FormatSize(long bytes) => bytes switch
    {
        < 1 << 20 => $"{bytes / 1024.0:F1} KB",
        < 1 << 30 => $"{bytes / 1048576.0:F1} MB",
        _ => $"{bytes / 1073741824.0:F2} GB",
    };
}

using BatchDb.Engine.Errors;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Switching;

/// <summary>
/// The checks every swap makes before it takes a lock: the work table exists, matches, and holds a plausible copy.
/// The row check is the import's own (a share of the live rows), made again because the work table may have changed
/// since, or never been imported: a killed import, rows inserted by hand.
/// </summary>
internal static class SwapPreflight
{
    public static async Task<(long LiveRows, long WorkRows)> CheckAsync(DatabaseSession session, SwapTarget target, bool force, double minimumRowRatio, CancellationToken cancellationToken)
    {
        RowRatio.Validate(minimumRowRatio);
        var swaps = session.Require<ISwapSession>();

        var work = target.WorkTable;
        if (!await session.TableExistsAsync(work, cancellationToken).ConfigureAwait(false))
        {
            throw new BatchDbException(ErrorIds.WorkTableNotFound, BatchDbErrorKind.ObjectNotFound,
                $"The work table {work} does not exist; create and load it with Import-WorkTable (or New-WorkTable).")
            { Target = work.ToString() };
        }

        var differences = await swaps.CompareDefinitionsAsync(target.LiveTable, target.Partition, work, cancellationToken).ConfigureAwait(false);
        if (differences.Count > 0)
        {
            throw new BatchDbException(ErrorIds.DefinitionMismatch, BatchDbErrorKind.InvalidOperation,
                $"The work table {work} cannot be swapped with {target.Describe()}: their definitions differ." +
                $"{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", differences)}" +
                $"{Environment.NewLine}Recreate the work table with New-WorkTable -Force. Nothing was changed.")
            { Target = work.ToString() };
        }

        var workRows = await swaps.CountRowsAsync(work, null, cancellationToken).ConfigureAwait(false);
        var liveRows = await swaps.CountRowsAsync(target.Table, target.Partition, cancellationToken).ConfigureAwait(false);
        if (workRows == 0 && liveRows > 0 && !force)
        {
            throw new BatchDbException(ErrorIds.WorkTableEmpty, BatchDbErrorKind.InvalidOperation,
                $"The work table {work} is empty while {target.Describe()} has {liveRows} rows; " +
                "switching would empty it (did the last import fail?). Use -Force if that is intended. Nothing was changed.")
            { Target = work.ToString() };
        }

        if (RowRatio.IsTooLow(workRows, liveRows, minimumRowRatio) && !force)
        {
            throw new BatchDbException(ErrorIds.RowCountTooLow, BatchDbErrorKind.InvalidData,
                $"The work table {work} has {workRows} rows, below {RowRatio.Format(minimumRowRatio)} of the {liveRows} rows of {target.Describe()}: " +
                "it looks like a short delivery or a table that no completed import checked. Import the file again, lower -MinimumRowRatio, " +
                "or use -Force to switch it in anyway. Nothing was changed.")
            { Target = work.ToString() };
        }

        return (liveRows, workRows);
    }
}

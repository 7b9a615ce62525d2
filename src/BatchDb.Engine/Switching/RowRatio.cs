using System.Globalization;
using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Switching;

/// <summary>
/// The one rule for "a suspiciously small copy": the work table (or file) must hold at least a share of the live rows.
/// An import checks it after loading, a swap again before switching.
/// </summary>
internal static class RowRatio
{
    public static void Validate(double minimumRowRatio)
    {
        if (minimumRowRatio is < 0 or > 1)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"The minimum row ratio must be between 0 and 1 (it was {minimumRowRatio}).");
        }
    }

    public static bool IsTooLow(long rows, long liveRows, double minimumRowRatio) => rows < liveRows * minimumRowRatio;

    public static string Format(double minimumRowRatio) => minimumRowRatio.ToString("0.##", CultureInfo.InvariantCulture);
}

using System.Text.RegularExpressions;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Aggregates;

/// <summary>
/// One column of the aggregate table: <see cref="Column"/> = <see cref="Function"/>(<see cref="SourceColumn"/>), with a
/// null source column meaning COUNT(*). Written as text, "total_sales=sum(amount)" or "order_count=count(*)".
/// </summary>
internal sealed partial record AggregateMeasure(string Column, AggregateFunction Function, string? SourceColumn)
{
    public static AggregateMeasure Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var match = MeasurePattern().Match(text);
        if (!match.Success || !Enum.TryParse<AggregateFunction>(match.Groups["function"].Value, ignoreCase: true, out var function))
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"The measure '{text}' is not of the form column=function(source column), with sum, count, avg, min or max; for example total_sales=sum(amount) or order_count=count(*).")
            { Target = text };
        }

        var column = QualifiedName.ValidateIdentifier(match.Groups["column"].Value, "measure column");
        var source = match.Groups["source"].Value;
        if (source == "*")
        {
            return function == AggregateFunction.Count
                ? new AggregateMeasure(column, function, null)
                : throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                    $"The measure '{text}': only count takes *.") { Target = text };
        }

        return new AggregateMeasure(column, function, QualifiedName.ValidateIdentifier(source, "measure source column"));
    }

    public override string ToString() => $"{Column}={Function.ToString().ToLowerInvariant()}({SourceColumn ?? "*"})";

    [GeneratedRegex(@"^\s*(?<column>[^=\s]+)\s*=\s*(?<function>\w+)\s*\(\s*(?<source>[^)\s]+)\s*\)\s*$")]
    private static partial Regex MeasurePattern();
}

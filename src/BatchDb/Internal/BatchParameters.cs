using System.Collections;
using System.Globalization;
using System.Management.Automation;

namespace BatchDb.Internal;

/// <summary>A run's -Parameters hashtable as plain values the engine records as JSON (PowerShell wrappers removed).</summary>
internal static class BatchParameters
{
    public static IReadOnlyDictionary<string, object?> From(Hashtable parameters) =>
        parameters.Cast<DictionaryEntry>().ToDictionary(
            e => Convert.ToString(e.Key, CultureInfo.InvariantCulture)!,
            e => e.Value is PSObject wrapped ? Plain(wrapped.BaseObject) : Plain(e.Value));

    private static object? Plain(object? value) => value switch
    {
        null or string or bool or int or long or double or decimal or DateTime or DateTimeOffset or Guid => value,
        _ => Convert.ToString(value, CultureInfo.InvariantCulture),
    };
}

using System.Collections;
using System.Management.Automation;
using System.Management.Automation.Language;

namespace BatchDb.Completion;

/// <summary>Completes -TimeZone with this machine's IANA time zone ids (and UTC).</summary>
internal sealed class TimeZoneCompleter : IArgumentCompleter
{
    public IEnumerable<CompletionResult> CompleteArgument(string commandName, string parameterName, string wordToComplete,
        CommandAst commandAst, IDictionary fakeBoundParameters)
    {
        var ids = TimeZoneInfo.GetSystemTimeZones().Select(z => TimeZoneInfo.TryConvertWindowsIdToIanaId(z.Id, out var iana) ? iana : z.Id);
        return CompletionResults.Matching(ids.Prepend("UTC").Order(StringComparer.OrdinalIgnoreCase), wordToComplete);
    }
}

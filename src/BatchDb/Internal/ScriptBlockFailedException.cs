using System.Management.Automation;

namespace BatchDb.Internal;

/// <summary>
/// A job's script block stopped with an error. Its inner exception is the error's own exception (a BatchDb
/// error, say), so that the engine can tell a transient failure from bad input.
/// </summary>
internal sealed class ScriptBlockFailedException(RuntimeException failure)
    : Exception(failure.ErrorRecord?.Exception?.Message ?? failure.Message, failure.ErrorRecord?.Exception ?? failure)
{
    public ErrorRecord? ErrorRecord { get; } = failure.ErrorRecord;
}

using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using BatchDb.Engine.Executions;

namespace BatchDb.Internal;

/// <summary>
/// The runs in progress in one runspace (Invoke-BatchJob's, or one begun with Start-BatchExecution), innermost
/// last: data-changing cmdlets record themselves as steps of the innermost one.
/// </summary>
internal sealed class RunRegistry
{
    private static readonly ConditionalWeakTable<Runspace, RunRegistry> Registries = new();
    private static readonly RunRegistry NoRunspace = new();
    private readonly List<RunLease> _runs = [];
    private readonly object _gate = new();

    public static RunRegistry Current =>
        Runspace.DefaultRunspace is { } runspace ? Registries.GetValue(runspace, _ => new RunRegistry()) : NoRunspace;

    public RunLease? Innermost
    {
        get
        {
            lock (_gate)
            {
                return _runs.Count == 0 ? null : _runs[^1];
            }
        }
    }

    public void Enter(RunLease run)
    {
        lock (_gate)
        {
            _runs.Add(run);
        }
    }

    public void Leave(RunLease run)
    {
        lock (_gate)
        {
            _runs.Remove(run);
        }
    }

    /// <summary>The run of this runspace whose current execution is <paramref name="executionId"/>, if any.</summary>
    public RunLease? Find(long executionId)
    {
        lock (_gate)
        {
            return _runs.LastOrDefault(r => r.Execution?.ExecutionId == executionId);
        }
    }
}

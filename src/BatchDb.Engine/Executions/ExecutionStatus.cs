namespace BatchDb.Engine.Executions;

/// <summary>Where an execution stands. Every status but Running is final.</summary>
public enum ExecutionStatus
{
    Running,
    Succeeded,
    Failed,
    TimedOut,
    Abandoned,
}

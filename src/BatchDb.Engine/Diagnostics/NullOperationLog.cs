namespace BatchDb.Engine.Diagnostics;

/// <summary>Discards diagnostics.</summary>
internal sealed class NullOperationLog : IOperationLog
{
    public static readonly NullOperationLog Instance = new();

    private NullOperationLog()
    {
    }

    public void Verbose(string message)
    {
    }

    public void Warning(string message)
    {
    }
}

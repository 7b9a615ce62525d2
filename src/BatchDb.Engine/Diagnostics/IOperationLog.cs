namespace BatchDb.Engine.Diagnostics;

/// <summary>Receives an operation's diagnostics; the module relays them to Write-Verbose and Write-Warning.</summary>
internal interface IOperationLog
{
    void Verbose(string message);

    void Warning(string message);
}

namespace BatchDb.Engine.Access;

/// <summary>What a batch login is allowed to do; each grants the privileges those cmdlets need and no more.</summary>
public enum BatchCapability
{
    /// <summary>Record runs, schedules and watermarks: the ledger's tables (Initialize-BatchSchema made them).</summary>
    Ledger,

    /// <summary>Load work tables and swap them in: New-WorkTable, Import-WorkTable, Switch-Partition, Switch-Table.</summary>
    WorkTables,

    /// <summary>Write staging and aggregate tables: Copy-BatchData's and Receive-ChangeCapture's destination, Invoke-DailyAggregate.</summary>
    Staging,

    /// <summary>Read the online database and nothing more: the source of Copy-BatchData.</summary>
    Source,

    /// <summary>Receive change captures from a PostgreSQL source (the REPLICATION attribute).</summary>
    ChangeCapture,
}

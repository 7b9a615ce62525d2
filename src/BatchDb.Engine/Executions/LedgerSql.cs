using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Executions;

/// <summary>
/// The engine-specific pieces of the execution ledger's SQL: its DDL, the server's UTC clock, durations,
/// generated ids, the schedule upsert and the batch lock. The ledger's own statements are portable around them.
/// </summary>
internal abstract class LedgerSql
{
    /// <summary>Where the ledger goes when the connection names no ledger schema.</summary>
    public abstract string DefaultSchema(string database);

    /// <summary>The grants a login needs to record operations in the ledger of <paramref name="schema"/>, as a sentence part.</summary>
    public abstract string RequiredPrivileges(string schema);

    /// <summary>The statements that create the ledger's schema (database on MySQL) if it is missing.</summary>
    public abstract string CreateSchema(string schema);

    /// <summary>Version 1 of the ledger: executions, schedules and the version table, in creation order.</summary>
    public abstract IReadOnlyList<string> CreateVersion1(LedgerTables tables);

    /// <summary>Version 2: the high-water marks of extracts and aggregates, and the version row.</summary>
    public abstract IReadOnlyList<string> CreateVersion2(LedgerTables tables);

    /// <summary>Inserts or replaces a high-water mark: @p0 source, @p1 target, @p2 column, @p3 type, @p4 value, @p5 execution id.</summary>
    public abstract string UpsertWatermark(QualifiedName watermarks);

    /// <summary>The server's current time in UTC, as a timestamp without time zone.</summary>
    public abstract string UtcNow { get; }

    /// <summary>The seconds between two timestamp expressions, as a number.</summary>
    public abstract string Seconds(string from, string to);

    /// <summary>An INSERT into the executions table made to return the new execution_id as its only row.</summary>
    public abstract string ReturningExecutionId(string insert);

    /// <summary>Inserts or replaces a schedule row: @p0 name, @p1 cron, @p2 time zone, @p3 next, @p4 enabled, @p5 timeout minutes.</summary>
    public abstract string UpsertSchedule(QualifiedName schedule);

    /// <summary>The lock key of a batch: unique per ledger and batch name, the same on every host.</summary>
    public abstract object LockKey(string ledgerSchema, string batchName);

    /// <summary>Takes the batch lock for the session without waiting; one row, true or 1 when granted.</summary>
    public abstract string TryLock { get; }

    public abstract string Unlock { get; }

    /// <summary>One row, true or 1 when no session holds the batch lock.</summary>
    public abstract string LockIsFree { get; }
}

using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Cdc;

/// <summary>A change capture on a PostgreSQL source: its slot and publication, and how far its consumer has got.</summary>
/// <param name="Table">The captured tables, schema-qualified, comma-separated.</param>
/// <param name="ConfirmedLsn">The position the consumer has acknowledged; the source keeps every WAL byte after it.</param>
/// <param name="CurrentLsn">The source's WAL position when this was read.</param>
/// <param name="RetainedBytes">The WAL the slot keeps on the source's disk; an abandoned capture makes it grow without end.</param>
public sealed record ChangeCapture(
    BatchDbConnection Connection,
    string Name,
    string Table,
    string Slot,
    string Publication,
    bool Active,
    string? ConfirmedLsn,
    string CurrentLsn,
    long? RetainedBytes);

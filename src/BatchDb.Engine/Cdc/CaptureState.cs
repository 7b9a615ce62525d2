namespace BatchDb.Engine.Cdc;

/// <summary>A capture as the source's catalog shows it.</summary>
/// <param name="ConfirmedLsn">Where the consumer has acknowledged up to; the server keeps the WAL after it.</param>
/// <param name="RetainedBytes">The WAL the slot keeps on the source's disk.</param>
internal sealed record CaptureState(string Name, string Table, bool Active, ulong? ConfirmedLsn, ulong CurrentLsn, long? RetainedBytes);

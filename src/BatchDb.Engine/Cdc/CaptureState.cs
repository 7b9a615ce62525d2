using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Cdc;

/// <summary>A capture as the source's catalog shows it.</summary>
/// <param name="Tables">The tables its publication holds (none when the publication was dropped by hand).</param>
/// <param name="ConfirmedLsn">Where the consumer has acknowledged up to; the server keeps the WAL after it.</param>
/// <param name="RetainedBytes">The WAL the slot keeps on the source's disk.</param>
internal sealed record CaptureState(string Name, IReadOnlyList<QualifiedName> Tables, bool Active, ulong? ConfirmedLsn, ulong CurrentLsn, long? RetainedBytes);

namespace BatchDb.Engine.Cdc;

/// <param name="AppliedLsn">The commit position stored with the rows already applied; transactions at or below it are skipped.</param>
/// <param name="Drain">End at the WAL position the server has when the stream begins, instead of waiting for more.</param>
/// <param name="DecodingMemory">The memory, in bytes, the source may use to decode a transaction before it spills to disk (null: its setting).</param>
internal sealed record ChangeStreamRequest(CaptureNames Names, ulong? AppliedLsn, bool Drain, long? DecodingMemory);

using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Cdc;

/// <summary>Where New-ChangeCapture copies the table's rows as of the slot's start: a staging table it then mirrors.</summary>
internal sealed record InitialCopy(BatchDbConnection Destination, string Table, string? BatchIdColumn, long? BatchId);

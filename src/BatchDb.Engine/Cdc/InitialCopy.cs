using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Cdc;

/// <summary>Where New-ChangeCapture copies the tables' rows as of the slot's start: one staging table for each captured table, in their order.</summary>
internal sealed record InitialCopy(BatchDbConnection Destination, IReadOnlyList<string> Tables, string? BatchIdColumn, long? BatchId);

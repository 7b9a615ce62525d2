using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Cdc;

internal sealed record ReceiveRequest
{
    public required BatchDbConnection Source { get; init; }

    public required string Name { get; init; }

    /// <summary>The staging table of each captured table, on the destination.</summary>
    public required IReadOnlyList<TableMapping> Tables { get; init; }

    public CaptureMode Mode { get; init; } = CaptureMode.Mirror;

    public string? BatchIdColumn { get; init; }

    /// <summary>Keep receiving until stopped, instead of ending at the WAL position the source has at the start.</summary>
    public bool Continuous { get; init; }

    /// <summary>End at the first commit after this many changes.</summary>
    public long? MaxChanges { get; init; }

    /// <summary>The memory, in bytes, the source's decoding may hold of one transaction before it spills to disk (null: the server's setting).</summary>
    public long? DecodingMemory { get; init; }

    /// <summary>End at the first commit after this long (at once when no transaction is open).</summary>
    public TimeSpan? MaxDuration { get; init; }
}

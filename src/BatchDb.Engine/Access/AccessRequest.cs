namespace BatchDb.Engine.Access;

/// <summary>What a login should be able to do, and where.</summary>
internal sealed record AccessRequest
{
    public required IReadOnlyList<BatchCapability> Capabilities { get; init; }

    /// <summary>The tables WorkTables swaps, or that Staging and Source are limited to; none: the whole schema.</summary>
    public IReadOnlyList<string> Tables { get; init; } = [];

    /// <summary>The schema (database on MySQL) of Staging and Source without tables; null: the engine's default.</summary>
    public string? Schema { get; init; }

    /// <summary>The hosts a MySQL login may connect from ('%': any).</summary>
    public string HostName { get; init; } = "%";

    /// <summary>Whether the privileges are about to be granted: an owner role that is a login is then refused.</summary>
    public bool Granting { get; init; }

    /// <summary>The connection, as errors name it.</summary>
    public required string Where { get; init; }
}

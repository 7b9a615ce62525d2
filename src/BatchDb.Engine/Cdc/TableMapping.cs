namespace BatchDb.Engine.Cdc;

/// <summary>Which staging table receives the changes of a captured table; Source is null for the only table of a capture.</summary>
internal sealed record TableMapping(string? Source, string Staging);

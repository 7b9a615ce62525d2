namespace BatchDb.Engine.Backups;

/// <summary>
/// A run of an engine's client program: its name (tried in order: mariadb-dump, then mysqldump), its arguments, the
/// environment that carries the password (never an argument another user could read in the process list), and the
/// file to feed it on standard input.
/// </summary>
internal sealed record ClientTool(IReadOnlyList<string> Programs, IReadOnlyList<string> Arguments, IReadOnlyDictionary<string, string> Environment,
    string Package, string? StandardInput = null);

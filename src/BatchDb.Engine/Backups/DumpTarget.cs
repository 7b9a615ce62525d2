namespace BatchDb.Engine.Backups;

/// <summary>Where a client program connects: the connection's server and login, and a database.</summary>
internal sealed record DumpTarget(string Server, int Port, string User, string Password, string Database);

namespace BatchDb.Engine.Connections;

/// <summary>A connection string and the parts of it that may be shown.</summary>
internal sealed record ConnectionTarget(string ConnectionString, string Server, int Port, string Database, string UserName);

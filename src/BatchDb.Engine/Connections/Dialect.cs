using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Connections;

/// <summary>What connections need from a database engine: its connection strings, its pool and its sessions.</summary>
internal abstract class Dialect
{
    public abstract ConnectionTarget BuildTarget(ConnectionOptions options);

    public abstract void ClearPool(string connectionString);

    public abstract string WithoutPooling(string connectionString);

    public abstract Task<DatabaseSession> OpenAsync(string connectionString, CancellationToken cancellationToken);
}

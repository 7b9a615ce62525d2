using BatchDb.Engine.Connections;
using BatchDb.Engine.Dialects.MySql;
using BatchDb.Engine.Dialects.PostgreSql;

namespace BatchDb.Engine.Dialects;

/// <summary>One database engine's way of building connection strings and opening sessions.</summary>
internal abstract class Dialect
{
    public static Dialect For(DatabaseProvider provider) => provider switch
    {
        DatabaseProvider.MySql => MySqlDialect.Instance,
        DatabaseProvider.PostgreSql => PostgreSqlDialect.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(provider), provider, null),
    };

    public abstract ConnectionTarget BuildTarget(ConnectionOptions options);

    public abstract void ClearPool(string connectionString);

    public abstract string WithoutPooling(string connectionString);

    public abstract Task<DatabaseSession> OpenAsync(string connectionString, CancellationToken cancellationToken);
}

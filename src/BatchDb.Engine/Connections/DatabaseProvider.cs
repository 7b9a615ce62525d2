namespace BatchDb.Engine.Connections;

/// <summary>The database engines BatchDb talks to. MariaDB is reached through <see cref="MySql"/>.</summary>
public enum DatabaseProvider
{
    MySql,
    PostgreSql,
}

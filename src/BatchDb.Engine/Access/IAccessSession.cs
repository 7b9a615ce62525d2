using BatchDb.Engine.Executions;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Access;

/// <summary>What least-privilege logins need from a database: the privileges a capability needs, granting them, checking them.</summary>
[Capability("least-privilege logins")]
internal interface IAccessSession
{
    /// <summary>The privileges <paramref name="request"/>'s capabilities need on this database, with its tables resolved.</summary>
    Task<IReadOnlyList<Privilege>> RequiredAsync(AccessRequest request, LedgerTables ledger, CancellationToken cancellationToken);

    /// <summary>
    /// The statements that create the login <paramref name="login"/> with <paramref name="password"/> (sent as the
    /// server's verifier, never in clear), or change its password when it exists; null password: the role must exist.
    /// </summary>
    Task<IReadOnlyList<GrantStatement>> LoginStatementsAsync(string login, string? password, AccessRequest request, CancellationToken cancellationToken);

    /// <summary>The GRANT statements that give <paramref name="login"/> these privileges, and tables created later in a whole schema.</summary>
    IReadOnlyList<GrantStatement> GrantStatements(string login, IReadOnlyList<Privilege> privileges, AccessRequest request);

    /// <summary>The roles (PostgreSQL) or users (MySQL) a grant can go to, for Tab completion.</summary>
    Task<IReadOnlyList<string>> LoginNamesAsync(CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="privileges"/> this session's login does not hold.</summary>
    Task<IReadOnlyList<Privilege>> MissingAsync(IReadOnlyList<Privilege> privileges, CancellationToken cancellationToken);
}

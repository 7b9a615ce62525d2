using BatchDb.Engine.Executions;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Access;

/// <summary>What least-privilege logins need from a database: the privileges a capability needs, granting them, checking them.</summary>
[Capability("least-privilege logins")]
internal interface IAccessSession
{
    /// <summary>The privileges <paramref name="request"/>'s capabilities need on this database, with its tables resolved.</summary>
    Task<IReadOnlyList<Privilege>> RequiredAsync(AccessRequest request, LedgerTables ledger, CancellationToken cancellationToken);

    /// <summary>The login as the server names it in grants and errors: role x, or user 'x'@'host'.</summary>
    string LoginName(string login, AccessRequest request);

    Task<bool> LoginExistsAsync(string login, AccessRequest request, CancellationToken cancellationToken);

    /// <summary>The statement that creates the login with <paramref name="password"/>, or sets it when the login <paramref name="exists"/>; the password goes as the server's verifier, never in clear.</summary>
    GrantStatement LoginStatement(string login, string password, bool exists, AccessRequest request);

    /// <summary>The GRANT statements that give <paramref name="login"/> these privileges, and tables created later in a whole schema.</summary>
    IReadOnlyList<GrantStatement> GrantStatements(string login, IReadOnlyList<Privilege> privileges, AccessRequest request);

    /// <summary>The roles (PostgreSQL) or users (MySQL) a grant can go to, for Tab completion.</summary>
    Task<IReadOnlyList<string>> LoginNamesAsync(CancellationToken cancellationToken);

    /// <summary>Those of <paramref name="privileges"/> this session's login does not hold.</summary>
    Task<IReadOnlyList<Privilege>> MissingAsync(IReadOnlyList<Privilege> privileges, CancellationToken cancellationToken);
}

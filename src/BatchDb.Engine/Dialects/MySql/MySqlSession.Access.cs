using System.Security.Cryptography;
using System.Text;
using BatchDb.Engine.Access;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Switching;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// Least-privilege logins on MySQL and MariaDB: a user at a host, with table grants, or database grants where tables
/// are created under names not known yet (work tables) or the whole database is meant.
/// </summary>
internal sealed partial class MySqlSession : IAccessSession
{
    private static readonly string[] ReadPrivileges = ["SELECT"];
    private static readonly string[] WritePrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE"];
    private static readonly string[] LedgerPrivileges = ["SELECT", "INSERT", "UPDATE"];

    // EXCHANGE PARTITION needs ALTER, INSERT, CREATE and DROP on both tables; work tables are created, emptied and dropped.
    private static readonly string[] SwapPrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE", "CREATE", "DROP", "ALTER"];

    public async Task<IReadOnlyList<Privilege>> RequiredAsync(AccessRequest request, LedgerTables ledger, CancellationToken cancellationToken)
    {
        var privileges = new List<Privilege>();
        foreach (var capability in request.Capabilities.Distinct())
        {
            switch (capability)
            {
                case BatchCapability.Ledger:
                    foreach (var table in new[] { ledger.Executions, ledger.Schedule, ledger.Watermarks, ledger.Version })
                    {
                        privileges.AddRange(LedgerPrivileges.Select(p => new Privilege(capability, PrivilegeScope.Table, p, table.ToString())));
                    }

                    break;
                case BatchCapability.Source or BatchCapability.Staging:
                    var names = capability == BatchCapability.Source ? ReadPrivileges : WritePrivileges;
                    if (request.Tables.Count == 0)
                    {
                        var database = await RequireDatabaseAsync(request.Schema ?? _database, request, cancellationToken).ConfigureAwait(false);
                        privileges.AddRange(names.Select(p => new Privilege(capability, PrivilegeScope.Database, p, database)));
                    }
                    else
                    {
                        foreach (var table in request.Tables)
                        {
                            var name = await RequireTableAsync(table, request, cancellationToken).ConfigureAwait(false);
                            privileges.AddRange(names.Select(p => new Privilege(capability, PrivilegeScope.Table, p, name.ToString())));
                        }
                    }

                    break;
                case BatchCapability.WorkTables:
                    if (request.Tables.Count == 0)
                    {
                        throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                            "The WorkTables capability needs -Table: the live tables whose work tables are loaded and swapped in.");
                    }

                    foreach (var table in request.Tables)
                    {
                        privileges.AddRange(await SwapPrivilegesAsync(capability, await RequireTableAsync(table, request, cancellationToken).ConfigureAwait(false), cancellationToken)
                            .ConfigureAwait(false));
                    }

                    break;
                case BatchCapability.ChangeCapture:
                    throw new BatchDbException(ErrorIds.NotSupported, BatchDbErrorKind.NotSupported,
                        "ChangeCapture receives from a PostgreSQL source, which needs the REPLICATION attribute there; a MySQL or MariaDB staging login needs Staging and Ledger.");
            }
        }

        return privileges.Distinct().ToList();
    }

    public string LoginName(string login, AccessRequest request) => $"user {UserName(login, request.HostName)}";

    public async Task<bool> LoginExistsAsync(string login, AccessRequest request, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT 1 FROM mysql.user WHERE User = @p0 AND Host = @p1", cancellationToken, login, request.HostName).ConfigureAwait(false)).Count > 0;

    public GrantStatement LoginStatement(string login, string password, bool exists, AccessRequest request)
    {
        var user = UserName(login, request.HostName);
        var verb = exists ? "ALTER" : "CREATE";
        return new GrantStatement($"{verb} USER {user} IDENTIFIED WITH mysql_native_password AS '{NativePasswordHash(password)}'",
            $"{verb} USER {user} IDENTIFIED WITH mysql_native_password AS '…'");
    }

    public IReadOnlyList<GrantStatement> GrantStatements(string login, IReadOnlyList<Privilege> privileges, AccessRequest request)
    {
        var to = UserName(login, request.HostName);
        return privileges.GroupBy(p => (p.Scope, p.Object)).Select(g =>
        {
            var on = g.Key.Scope == PrivilegeScope.Database ? $"{Quote(g.Key.Object)}.*" : Quote(QualifiedName.Parse(g.Key.Object));
            return new GrantStatement($"GRANT {string.Join(", ", g.Select(p => p.Name).Distinct())} ON {on} TO {to}");
        }).ToList();
    }

    public async Task<IReadOnlyList<string>> LoginNamesAsync(CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT DISTINCT User FROM mysql.user WHERE User <> '' AND User NOT IN ('mariadb.sys', 'mysql.sys', 'mysql.session', 'mysql.infoschema') ORDER BY 1",
            cancellationToken).ConfigureAwait(false)).Select(r => (string)r[0]!).ToList();

    public async Task<IReadOnlyList<Privilege>> MissingAsync(IReadOnlyList<Privilege> privileges, CancellationToken cancellationToken)
    {
        // The information_schema privilege views show the current user's own grants: globally, per database, per table.
        var missing = new List<Privilege>();
        var grantee = await GranteeAsync(cancellationToken).ConfigureAwait(false);
        foreach (var privilege in privileges)
        {
            var (database, table) = privilege.Scope == PrivilegeScope.Database ? (privilege.Object, (string?)null) : SplitTable(privilege.Object);
            var held = await QueryAsync(
                """
                SELECT EXISTS (SELECT 1 FROM information_schema.USER_PRIVILEGES WHERE GRANTEE = @p0 AND PRIVILEGE_TYPE = @p1)
                    OR EXISTS (SELECT 1 FROM information_schema.SCHEMA_PRIVILEGES WHERE GRANTEE = @p0 AND TABLE_SCHEMA = @p2 AND PRIVILEGE_TYPE = @p1)
                    OR EXISTS (SELECT 1 FROM information_schema.TABLE_PRIVILEGES
                               WHERE GRANTEE = @p0 AND TABLE_SCHEMA = @p2 AND TABLE_NAME = @p3 AND PRIVILEGE_TYPE = @p1)
                """,
                cancellationToken, grantee, privilege.Name, database, table ?? string.Empty).ConfigureAwait(false);
            if (Convert.ToInt64(held[0][0], System.Globalization.CultureInfo.InvariantCulture) == 0)
            {
                missing.Add(privilege);
            }
        }

        return missing;
    }

    /// <summary>
    /// A partitioned table's swaps are EXCHANGE PARTITION with work tables of known names, so the grants are on those
    /// tables (MySQL takes table grants for tables not created yet when they include CREATE). A table without
    /// partitions is swapped by RENAME TABLE through a parking table of a new name each time: that needs the database.
    /// </summary>
    private async Task<IEnumerable<Privilege>> SwapPrivilegesAsync(BatchCapability capability, QualifiedName table, CancellationToken cancellationToken)
    {
        var partitions = (await QueryAsync(
            """
            SELECT PARTITION_NAME FROM information_schema.PARTITIONS
            WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 AND PARTITION_NAME IS NOT NULL ORDER BY PARTITION_ORDINAL_POSITION
            """,
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false)).Select(r => (string)r[0]!).ToList();
        if (partitions.Count == 0)
        {
            return SwapPrivileges.Select(p => new Privilege(capability, PrivilegeScope.Database, p, table.Schema!));
        }

        var tables = new[] { table, table.WithName(WorkTableNaming.ForTable(table.Name)) }.Concat(partitions.Select(p => table.WithName(WorkTableNaming.ForPartition(table.Name, p))));
        return tables.SelectMany(t => SwapPrivileges.Select(p => new Privilege(capability, PrivilegeScope.Table, p, t.ToString())));
    }

    private static (string Database, string Table) SplitTable(string table)
    {
        var name = QualifiedName.Parse(table);
        return (name.Schema!, name.Name);
    }

    /// <summary>The current user as the privilege views name it: 'user'@'host'.</summary>
    private async Task<string> GranteeAsync(CancellationToken cancellationToken)
    {
        var current = (string)(await QueryAsync("SELECT CURRENT_USER()", cancellationToken).ConfigureAwait(false))[0][0]!;
        var at = current.LastIndexOf('@');
        return $"'{current[..at]}'@'{current[(at + 1)..]}'";
    }

    private async Task<string> RequireDatabaseAsync(string database, AccessRequest request, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT 1 FROM information_schema.SCHEMATA WHERE SCHEMA_NAME = @p0", cancellationToken, database).ConfigureAwait(false)).Count > 0
            ? database
            : throw new BatchDbException(ErrorIds.SchemaNotFound, BatchDbErrorKind.ObjectNotFound, $"The database {database} does not exist on {request.Where}.") { Target = database };

    /// <summary>The table as the catalog spells it: a grant names the table exactly, whatever case it was given in.</summary>
    private async Task<QualifiedName> RequireTableAsync(string table, AccessRequest request, CancellationToken cancellationToken)
    {
        var name = Qualify(QualifiedName.Parse(table));
        var found = (await QueryAsync("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = @p0 AND LOWER(TABLE_NAME) = LOWER(@p1)",
            cancellationToken, name.Schema, name.Name).ConfigureAwait(false)).Select(r => (string)r[0]!).ToList();
        var spelled = found.Contains(name.Name) ? name.Name : found.Count == 1 ? found[0] : null;
        return spelled is not null
            ? name.WithName(spelled)
            : throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound, found.Count == 0
                ? $"The table {name} does not exist on {request.Where}."
                : $"{name} could be {string.Join(" or ", found)} on {request.Where}; give its exact name.") { Target = name.ToString() };
    }

    /// <summary>'login'@'host', after checking both (a host pattern may hold letters, digits, '.', '-', ':', '%' and '_').</summary>
    private static string UserName(string login, string hostName)
    {
        QualifiedName.ValidateIdentifier(login, "login");
        if (hostName.Length == 0 || !hostName.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or ':' or '%' or '_'))
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"'{hostName}' is not a host name or pattern: use letters, digits, '.', '-', ':', '%' and '_'.")
            { Target = hostName };
        }

        return $"'{login}'@'{hostName}'";
    }

    /// <summary>mysql_native_password's stored form, '*' and SHA1(SHA1(password)) in hex: the password itself is in no statement or log.</summary>
    private static string NativePasswordHash(string password) =>
        "*" + Convert.ToHexString(SHA1.HashData(SHA1.HashData(Encoding.UTF8.GetBytes(password))));
}

using System.Security.Cryptography;
using System.Text;
using BatchDb.Engine.Access;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>
/// Least-privilege logins on PostgreSQL: grants on the database, schemas and tables, membership in the role that
/// owns the swapped tables (ATTACH and DETACH PARTITION need the owner's rights), the REPLICATION attribute.
/// </summary>
internal sealed partial class PostgreSqlSession : IAccessSession
{
    private const int ScramIterations = 4096;
    private static readonly string[] ReadPrivileges = ["SELECT"];
    private static readonly string[] WritePrivileges = ["SELECT", "INSERT", "UPDATE", "DELETE"];
    private static readonly string[] LedgerPrivileges = ["SELECT", "INSERT", "UPDATE"];

    public async Task<IReadOnlyList<Privilege>> RequiredAsync(AccessRequest request, LedgerTables ledger, CancellationToken cancellationToken)
    {
        var database = (string)(await QueryAsync("SELECT current_database()", cancellationToken).ConfigureAwait(false))[0][0]!;
        var privileges = new List<Privilege>();
        foreach (var capability in request.Capabilities.Distinct())
        {
            privileges.Add(new Privilege(capability, PrivilegeScope.Database, "CONNECT", database));
            switch (capability)
            {
                case BatchCapability.Ledger:
                    privileges.Add(new Privilege(capability, PrivilegeScope.Schema, "USAGE", ledger.Schema));
                    foreach (var table in new[] { ledger.Executions, ledger.Schedule, ledger.Watermarks, ledger.Version })
                    {
                        privileges.AddRange(LedgerPrivileges.Select(p => new Privilege(capability, PrivilegeScope.Table, p, Quote(table))));
                    }

                    break;
                case BatchCapability.Source or BatchCapability.Staging:
                    var names = capability == BatchCapability.Source ? ReadPrivileges : WritePrivileges;
                    var wholeSchema = request.Tables.Count == 0 ? await DefaultSchemaAsync(request, cancellationToken).ConfigureAwait(false) : null;
                    if (wholeSchema is not null)
                    {
                        privileges.Add(new Privilege(capability, PrivilegeScope.Schema, "USAGE", wholeSchema));
                    }

                    foreach (var (schema, table) in await TablesOfAsync(request, wholeSchema, cancellationToken).ConfigureAwait(false))
                    {
                        privileges.Add(new Privilege(capability, PrivilegeScope.Schema, "USAGE", schema));
                        privileges.AddRange(names.Select(p => new Privilege(capability, PrivilegeScope.Table, p, table)));
                    }

                    break;
                case BatchCapability.WorkTables:
                    foreach (var (schema, table, owner) in await SwappedTablesAsync(request, cancellationToken).ConfigureAwait(false))
                    {
                        privileges.Add(new Privilege(capability, PrivilegeScope.Schema, "USAGE", schema));
                        privileges.Add(new Privilege(capability, PrivilegeScope.Schema, "CREATE", schema));
                        privileges.Add(new Privilege(capability, PrivilegeScope.Membership, "MEMBER", owner));
                        privileges.Add(new Privilege(capability, PrivilegeScope.Table, "SELECT", table));
                    }

                    break;
                case BatchCapability.ChangeCapture:
                    privileges.Add(new Privilege(capability, PrivilegeScope.Attribute, "REPLICATION", string.Empty));
                    break;
            }
        }

        return privileges.Distinct().ToList();
    }

    public string LoginName(string login, AccessRequest request) => $"role {login}";

    public async Task<bool> LoginExistsAsync(string login, AccessRequest request, CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT 1 FROM pg_roles WHERE rolname = @p0", cancellationToken, login).ConfigureAwait(false)).Count > 0;

    public GrantStatement LoginStatement(string login, string password, bool exists, AccessRequest request)
    {
        var verb = exists ? "ALTER" : "CREATE";
        return new GrantStatement($"{verb} ROLE {Quote(login)} LOGIN PASSWORD '{ScramVerifier(password)}'", $"{verb} ROLE {Quote(login)} LOGIN PASSWORD '…'");
    }

    public IReadOnlyList<GrantStatement> GrantStatements(string login, IReadOnlyList<Privilege> privileges, AccessRequest request)
    {
        var to = Quote(login);
        var statements = new List<GrantStatement>();
        foreach (var scope in new[] { PrivilegeScope.Database, PrivilegeScope.Schema })
        {
            statements.AddRange(privileges.Where(p => p.Scope == scope).GroupBy(p => p.Object).Select(g =>
                new GrantStatement($"GRANT {string.Join(", ", g.Select(p => p.Name).Distinct())} ON {(scope == PrivilegeScope.Database ? "DATABASE" : "SCHEMA")} {Quote(g.Key)} TO {to}")));
        }

        // Tables with the same privileges go into one GRANT.
        statements.AddRange(privileges.Where(p => p.Scope == PrivilegeScope.Table).GroupBy(p => p.Object)
            .GroupBy(g => string.Join(", ", g.Select(p => p.Name).Distinct()))
            .Select(g => new GrantStatement($"GRANT {g.Key} ON TABLE {string.Join(", ", g.Select(t => t.Key))} TO {to}")));
        statements.AddRange(privileges.Where(p => p.Scope == PrivilegeScope.Membership).Select(p => p.Object).Distinct()
            .Select(owner => new GrantStatement($"GRANT {Quote(owner)} TO {to}")));
        if (privileges.Any(p => p.Scope == PrivilegeScope.Attribute))
        {
            statements.Add(new GrantStatement($"ALTER ROLE {to} REPLICATION"));
        }

        // Tables created later in a whole schema, by the login that runs this (ALTER DEFAULT PRIVILEGES' own rule).
        if (request.Tables.Count == 0)
        {
            foreach (var capability in request.Capabilities.Distinct().Where(c => c is BatchCapability.Source or BatchCapability.Staging))
            {
                var schema = privileges.First(p => p.Capability == capability && p.Scope == PrivilegeScope.Schema).Object;
                var names = capability == BatchCapability.Source ? ReadPrivileges : WritePrivileges;
                statements.Add(new GrantStatement($"ALTER DEFAULT PRIVILEGES IN SCHEMA {Quote(schema)} GRANT {string.Join(", ", names)} ON TABLES TO {to}"));
            }
        }

        return statements;
    }

    public async Task<IReadOnlyList<string>> LoginNamesAsync(CancellationToken cancellationToken) =>
        (await QueryAsync("SELECT rolname FROM pg_roles WHERE rolname !~ '^pg_' ORDER BY 1", cancellationToken).ConfigureAwait(false)).Select(r => (string)r[0]!).ToList();

    public async Task<IReadOnlyList<Privilege>> MissingAsync(IReadOnlyList<Privilege> privileges, CancellationToken cancellationToken)
    {
        var missing = new List<Privilege>();
        foreach (var privilege in privileges)
        {
            var (check, arguments) = privilege.Scope switch
            {
                PrivilegeScope.Table => ("SELECT has_table_privilege(@p0, @p1)", new object?[] { privilege.Object, privilege.Name }),
                PrivilegeScope.Schema => ("SELECT has_schema_privilege(@p0, @p1)", [privilege.Object, privilege.Name]),
                PrivilegeScope.Database => ("SELECT has_database_privilege(@p0, @p1)", [privilege.Object, privilege.Name]),
                PrivilegeScope.Membership => ("SELECT pg_has_role(@p0, 'USAGE')", [privilege.Object]),
                _ => ("SELECT rolreplication OR rolsuper FROM pg_roles WHERE rolname = current_user", []),
            };
            if ((await QueryAsync(check, cancellationToken, arguments).ConfigureAwait(false))[0][0] is not true)
            {
                missing.Add(privilege);
            }
        }

        return missing;
    }

    /// <summary>The schema of Source and Staging without tables: the one given, else the connection's current schema.</summary>
    private async Task<string> DefaultSchemaAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        var schema = request.Schema ?? (string?)(await QueryAsync("SELECT current_schema()", cancellationToken).ConfigureAwait(false))[0][0] ?? "public";
        return (await QueryAsync("SELECT 1 FROM pg_namespace WHERE nspname = @p0", cancellationToken, schema).ConfigureAwait(false)).Count > 0 ? schema
            : throw new BatchDbException(ErrorIds.SchemaNotFound, BatchDbErrorKind.ObjectNotFound, $"The schema {schema} does not exist on {request.Where}.") { Target = schema };
    }

    /// <summary>The tables named, or all the tables and views of <paramref name="wholeSchema"/>; each with its schema, and quoted as SQL names it.</summary>
    private async Task<IReadOnlyList<(string Schema, string Table)>> TablesOfAsync(AccessRequest request, string? wholeSchema, CancellationToken cancellationToken)
    {
        if (wholeSchema is null)
        {
            var found = new List<(string, string)>();
            foreach (var table in request.Tables)
            {
                found.Add(await DescribeForGrantAsync(table, request, cancellationToken, row => ((string)row[1]!, (string)row[0]!)).ConfigureAwait(false));
            }

            return found;
        }

        return (await QueryAsync(
            """
            SELECT n.nspname, format('%I.%I', n.nspname, c.relname) FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = @p0 AND c.relkind IN ('r', 'p', 'v', 'm', 'f') ORDER BY c.relname
            """,
            cancellationToken, wholeSchema).ConfigureAwait(false)).Select(r => ((string)r[0]!, (string)r[1]!)).ToList();
    }

    /// <summary>The tables WorkTables swaps, with the owner of each and its partitions, who must not be a login.</summary>
    private async Task<IReadOnlyList<(string Schema, string Table, string Owner)>> SwappedTablesAsync(AccessRequest request, CancellationToken cancellationToken)
    {
        if (request.Tables.Count == 0)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                "The WorkTables capability needs -Table: the live tables whose work tables are loaded and swapped in.");
        }

        var swapped = new List<(string, string, string)>();
        foreach (var table in request.Tables)
        {
            var (schema, quoted, owners) = await DescribeForGrantAsync(table, request, cancellationToken, row => ((string)row[1]!, (string)row[0]!, (string[])row[2]!)).ConfigureAwait(false);
            var logins = request.Granting
                ? (await QueryAsync("SELECT rolname FROM pg_roles WHERE rolname = ANY(@p0) AND (rolcanlogin OR rolsuper)", cancellationToken, [owners]).ConfigureAwait(false)).Select(r => (string)r[0]!).ToList()
                : [];
            if (owners.Length != 1 || logins.Count > 0)
            {
                throw new BatchDbException(ErrorIds.OwnerNotGrantable, BatchDbErrorKind.InvalidOperation,
                    $"{quoted} and its partitions are owned by {string.Join(", ", owners)}. Swapping them needs their owner's rights, which a batch login gets by " +
                    "joining one owner role, and joining a login would give it all that login's rights. Make a role without LOGIN own the table and its partitions " +
                    $"(CREATE ROLE {schema}_owner NOLOGIN; ALTER TABLE … OWNER TO {schema}_owner), then grant again.")
                { Target = quoted };
            }

            swapped.Add((schema, quoted, owners[0]));
        }

        return swapped;
    }

    /// <summary>A table's row of the catalog: its quoted name, its schema, and the owners of it and its partitions.</summary>
    private async Task<T> DescribeForGrantAsync<T>(string table, AccessRequest request, CancellationToken cancellationToken, Func<object?[], T> read)
    {
        var name = await ResolveAsync(QualifiedName.Parse(table), cancellationToken).ConfigureAwait(false);
        var rows = await QueryAsync(
            """
            SELECT format('%I.%I', n.nspname, c.relname), n.nspname,
                   ARRAY(SELECT DISTINCT pg_get_userbyid(k.relowner) FROM pg_class k
                         WHERE k.oid = c.oid OR k.oid IN (SELECT inhrelid FROM pg_inherits WHERE inhparent = c.oid) ORDER BY 1)
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = to_regclass(@p0)
            """,
            cancellationToken, Quote(name)).ConfigureAwait(false);
        return rows.Count == 1 ? read(rows[0])
            : throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound, $"The table {name} does not exist on {request.Where}.") { Target = name.ToString() };
    }

    /// <summary>
    /// The SCRAM-SHA-256 verifier PostgreSQL stores for a password (RFC 5802, RFC 7677): sent instead of the password,
    /// so that the password is in no statement, log or pg_stat_activity.
    /// </summary>
    private static string ScramVerifier(string password)
    {
        var salt = RandomNumberGenerator.GetBytes(16);
        var salted = Rfc2898DeriveBytes.Pbkdf2(Encoding.UTF8.GetBytes(password.Normalize(NormalizationForm.FormKC)), salt, ScramIterations, HashAlgorithmName.SHA256, 32);
        var storedKey = SHA256.HashData(HMACSHA256.HashData(salted, "Client Key"u8));
        var serverKey = HMACSHA256.HashData(salted, "Server Key"u8);
        return $"SCRAM-SHA-256${ScramIterations}:{Convert.ToBase64String(salt)}${Convert.ToBase64String(storedKey)}:{Convert.ToBase64String(serverKey)}";
    }
}

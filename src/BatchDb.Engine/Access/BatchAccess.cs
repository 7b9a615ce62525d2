using BatchDb.Engine.Connections;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Access;

/// <summary>
/// Least-privilege batch logins: the privileges each capability needs, granted to a login (created or given a new
/// password on the way), or checked for the connection's own login.
/// </summary>
internal static class BatchAccess
{
    /// <summary>The statements that give <paramref name="login"/> the request's capabilities; none is run yet.</summary>
    public static async Task<IReadOnlyList<GrantStatement>> PlanAsync(BatchDbConnection connection, string login, string? password, AccessRequest request,
        CancellationToken cancellationToken)
    {
        QualifiedName.ValidateIdentifier(login, "login");
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var access = session.Require<IAccessSession>();
        var privileges = await RequiredAsync(session, access, connection, request with { Granting = true }, cancellationToken).ConfigureAwait(false);
        var exists = await access.LoginExistsAsync(login, request, cancellationToken).ConfigureAwait(false);
        if (password is null && !exists)
        {
            throw new BatchDbException(ErrorIds.LoginNotFound, BatchDbErrorKind.ObjectNotFound,
                $"There is no {access.LoginName(login, request)} on {request.Where}; give -Credential to create it as a login.")
            { Target = login };
        }

        return [.. password is null ? [] : new[] { access.LoginStatement(login, password, exists, request) }, .. access.GrantStatements(login, privileges, request)];
    }

    /// <summary>Runs the statements, in one transaction where the engine's GRANTs are transactional (PostgreSQL).</summary>
    public static async Task ApplyAsync(BatchDbConnection connection, IReadOnlyList<GrantStatement> statements, CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenDedicatedSessionAsync(cancellationToken).ConfigureAwait(false);
        await session.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            foreach (var statement in statements)
            {
                await session.ExecuteStatementAsync(statement.Sql, cancellationToken).ConfigureAwait(false);
            }

            await session.CommitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await session.RollBackQuietlyAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>For each capability, whether the connection's login holds its privileges, and which it lacks.</summary>
    public static async Task<IReadOnlyList<BatchAccessCheck>> TestAsync(BatchDbConnection connection, AccessRequest request, CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        var access = session.Require<IAccessSession>();
        var privileges = await RequiredAsync(session, access, connection, request, cancellationToken).ConfigureAwait(false);
        var missing = await access.MissingAsync(privileges, cancellationToken).ConfigureAwait(false);
        return request.Capabilities.Distinct().Select(capability =>
        {
            var lacking = missing.Where(p => p.Capability == capability).Select(p => p.ToString()).ToList();
            return new BatchAccessCheck(connection, connection.UserName, capability, lacking.Count == 0, lacking);
        }).ToList();
    }

    /// <summary>The roles or users of the connection's server, for Tab completion.</summary>
    public static async Task<IReadOnlyList<string>> GetLoginNamesAsync(BatchDbConnection connection, CancellationToken cancellationToken)
    {
        await using var session = await connection.OpenSessionAsync(cancellationToken).ConfigureAwait(false);
        return await session.Require<IAccessSession>().LoginNamesAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task<IReadOnlyList<Privilege>> RequiredAsync(DatabaseSession session, IAccessSession access, BatchDbConnection connection, AccessRequest request,
        CancellationToken cancellationToken)
    {
        if (request.Capabilities.Count == 0)
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument, "Name at least one capability.");
        }

        var ledger = Ledger.TablesFor(connection, session);
        if (request.Capabilities.Contains(BatchCapability.Ledger))
        {
            await Ledger.RequireAsync(session, connection, cancellationToken).ConfigureAwait(false);
        }

        return await access.RequiredAsync(request, ledger, cancellationToken).ConfigureAwait(false);
    }
}

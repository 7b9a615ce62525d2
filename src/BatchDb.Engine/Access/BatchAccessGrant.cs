using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Access;

/// <summary>What Grant-BatchAccess ran for a login: its statements, with no password or verifier in them.</summary>
public sealed record BatchAccessGrant(BatchDbConnection Connection, string Login, IReadOnlyList<BatchCapability> Capabilities, IReadOnlyList<string> Statements);

using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Access;

/// <summary>Whether the connection's login holds what a capability needs, and exactly what it lacks.</summary>
/// <param name="Missing">The privileges the login lacks, e.g. "INSERT on batch.batch_executions"; empty when <see cref="Granted"/>.</param>
public sealed record BatchAccessCheck(BatchDbConnection Connection, string Login, BatchCapability Capability, bool Granted, IReadOnlyList<string> Missing);

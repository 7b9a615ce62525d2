using System.Management.Automation.Runspaces;
using System.Runtime.CompilerServices;
using BatchDb.Engine.Connections;

namespace BatchDb.Internal;

/// <summary>
/// The named connections of one runspace. Keyed by runspace, not process-wide, so that
/// ForEach-Object -Parallel and runbook jobs each see only their own (pass -Connection $using:c across).
/// </summary>
internal sealed class ConnectionRegistry
{
    private static readonly ConditionalWeakTable<Runspace, ConnectionRegistry> Registries = new();
    private static readonly ConnectionRegistry NoRunspace = new();
    private readonly Dictionary<string, BatchDbConnection> _connections = new(StringComparer.OrdinalIgnoreCase);
    private readonly object _gate = new();

    public static ConnectionRegistry Current =>
        Runspace.DefaultRunspace is { } runspace ? Registries.GetValue(runspace, _ => new ConnectionRegistry()) : NoRunspace;

    /// <summary>The connection most recently added, used when a cmdlet is given no -Connection.</summary>
    public BatchDbConnection? Default { get; private set; }

    public void Add(BatchDbConnection connection)
    {
        lock (_gate)
        {
            _connections[connection.Name] = connection;
            Default = connection;
        }
    }

    public bool Remove(BatchDbConnection connection)
    {
        lock (_gate)
        {
            if (!_connections.TryGetValue(connection.Name, out var registered) || !ReferenceEquals(registered, connection))
            {
                return false;
            }

            _connections.Remove(connection.Name);
            if (ReferenceEquals(Default, connection))
            {
                Default = _connections.Values.LastOrDefault();
            }

            return true;
        }
    }

    public BatchDbConnection? Find(string name)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(name, out var connection) ? connection : null;
        }
    }

    public IReadOnlyList<BatchDbConnection> All()
    {
        lock (_gate)
        {
            return _connections.Values.OrderBy(c => c.Name, StringComparer.OrdinalIgnoreCase).ToList();
        }
    }
}

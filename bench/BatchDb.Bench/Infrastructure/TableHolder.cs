namespace BatchDb.Bench.Infrastructure;

/// <summary>A long query in its own session that holds a shared lock on the table until it ends or is cancelled.</summary>
internal sealed class TableHolder
{
    private readonly Thread _thread;
    private readonly ManualResetEventSlim _started = new();
    private long _sessionId;
    private volatile bool _cancelled;

    private TableHolder(BenchServer server, TimeSpan duration)
    {
        _thread = new Thread(() =>
        {
            using var connection = server.Open();
            _sessionId = server.SessionId(connection);
            _started.Set();
            try
            {
                using var command = connection.CreateCommand();
                command.CommandText = server.HoldTableSql((int)duration.TotalSeconds);
                command.CommandTimeout = 0;
                command.ExecuteNonQuery();
            }
            catch (Exception) when (_cancelled)
            {
                // Cancelled, which is how the holder is ended early (the driver may then throw more than a DbException).
            }
        })
        { IsBackground = true, Name = "table holder" };
    }

    /// <summary>Starts the query and returns once it has had time to take its lock.</summary>
    public static TableHolder Start(BenchServer server, TimeSpan duration)
    {
        var holder = new TableHolder(server, duration);
        holder._thread.Start();
        holder._started.Wait();
        Thread.Sleep(500);
        return holder;
    }

    public void Cancel(BenchServer server)
    {
        _cancelled = true;
        server.CancelQuery(_sessionId);
        _thread.Join();
    }

    public void WaitForEnd() => _thread.Join();
}

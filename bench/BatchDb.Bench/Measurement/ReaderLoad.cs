using System.Data.Common;
using System.Diagnostics;
using BatchDb.Bench.Infrastructure;

namespace BatchDb.Bench.Measurement;

/// <summary>
/// A live service's readers: <c>clients</c> sessions, each on its own thread, querying 10 consecutive items of
/// warehouse 1 (or of any of the first <c>warehouses</c> of the burst table) at a fixed schedule that adds up to
/// <c>queriesPerSecond</c>. Every read must return 10 rows of one version.
/// </summary>
internal sealed class ReaderLoad
{
    private const int RowsPerRead = 10;

    private readonly BenchServer _server;
    private readonly int _clients;
    private readonly TimeSpan _interval;
    private readonly int _items;
    private readonly int _warehouses;
    private readonly List<Thread> _threads = [];
    private readonly List<double> _latencies = [];
    private readonly HashSet<string> _versions = [];
    private readonly Lock _gate = new();
    private long _start;
    private long _stopAfterTicks = long.MaxValue;
    private int _reads, _errors, _emptyOrPartial, _mixed;

    /// <param name="warehouses">0 for warehouse 1 of the stock table; else the readers pick any of the burst table's first <paramref name="warehouses"/>.</param>
    public ReaderLoad(BenchServer server, int clients, int queriesPerSecond, int items, int warehouses = 0)
    {
        _server = server;
        _clients = clients;
        _interval = TimeSpan.FromSeconds((double)clients / queriesPerSecond);
        _items = items;
        _warehouses = warehouses;
    }

    public void Start()
    {
        var start = _start = Stopwatch.GetTimestamp();
        for (var client = 0; client < _clients; client++)
        {
            var phase = _interval * client / _clients;
            var seed = client;
            var thread = new Thread(() => Run(start, phase, seed)) { IsBackground = true, Name = $"reader {client}" };
            _threads.Add(thread);
            thread.Start();
        }
    }

    /// <summary>
    /// Schedules no more queries, lets every reader run the ones already due (a reader that was held up runs its
    /// backlog, late, as a service would), and returns what they saw.
    /// </summary>
    public ReaderStats Stop()
    {
        Interlocked.Exchange(ref _stopAfterTicks, Stopwatch.GetElapsedTime(_start).Ticks);
        foreach (var thread in _threads)
        {
            thread.Join();
        }

        lock (_gate)
        {
            return new ReaderStats(_reads, _errors, _emptyOrPartial, _mixed,
                Samples.Percentile(_latencies, 50), Samples.Percentile(_latencies, 99), _latencies.Count == 0 ? double.NaN : _latencies.Max(),
                _versions.Order().ToList());
        }
    }

    private void Run(long start, TimeSpan phase, int seed)
    {
        var random = new Random(seed);
        DbConnection? connection = null;
        try
        {
            for (long k = 0; ; k++)
            {
                var scheduled = phase + _interval * k;
                if (scheduled.Ticks >= Interlocked.Read(ref _stopAfterTicks))
                {
                    break;
                }

                var wait = scheduled - Stopwatch.GetElapsedTime(start);
                if (wait > TimeSpan.Zero)
                {
                    Thread.Sleep(wait);
                    if (scheduled.Ticks >= Interlocked.Read(ref _stopAfterTicks))
                    {
                        break;
                    }
                }

                var first = random.Next(1, _items - RowsPerRead + 2);
                var failed = false;
                var versions = new List<string>(RowsPerRead);
                try
                {
                    connection ??= _server.Open();
                    using var command = connection.CreateCommand();
                    command.CommandText = _warehouses == 0 ? _server.ReaderSql(first, RowsPerRead) : _server.BurstReaderSql(random.Next(1, _warehouses + 1), first, RowsPerRead);
                    command.CommandTimeout = 0;
                    using var reader = command.ExecuteReader();
                    while (reader.Read())
                    {
                        versions.Add(reader.GetString(0));
                    }
                }
                catch (DbException)
                {
                    failed = true;
                    connection?.Dispose();
                    connection = null;
                }

                var latency = (Stopwatch.GetElapsedTime(start) - scheduled).TotalMilliseconds;
                Record(latency, versions, failed);
            }
        }
        finally
        {
            connection?.Dispose();
        }
    }

    private void Record(double latency, List<string> versions, bool failed)
    {
        lock (_gate)
        {
            _reads++;
            _latencies.Add(latency);
            if (failed)
            {
                _errors++;
            }
            else if (versions.Count != RowsPerRead)
            {
                _emptyOrPartial++;
            }
            else if (versions.Distinct().Count() > 1)
            {
                _mixed++;
            }
            else
            {
                _versions.Add(versions[0]);
            }
        }
    }
}

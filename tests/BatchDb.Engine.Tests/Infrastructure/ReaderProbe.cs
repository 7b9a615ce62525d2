using System.Data.Common;

namespace BatchDb.Engine.Tests.Infrastructure;

/// <summary>
/// A reader in its own session that runs one query over and over until stopped, and keeps what a live
/// service would have noticed: errors, empty results, and results that mix rows of two versions.
/// </summary>
internal sealed class ReaderProbe
{
    private readonly List<string> _anomalies = [];
    private readonly HashSet<string> _versionsSeen = [];
    private readonly CancellationTokenSource _stop = new();
    private Task? _loop;

    public int Reads { get; private set; }

    public IReadOnlyList<string> Anomalies => _anomalies;

    public IReadOnlyCollection<string> VersionsSeen => _versionsSeen;

    /// <summary>Starts reading <paramref name="sql"/>, whose single column is each row's version.</summary>
    public void Start(StockTable database, string sql, int expectedRows)
    {
        _loop = Task.Run(async () =>
        {
            await using var connection = await database.OpenAsync();
            while (!_stop.IsCancellationRequested)
            {
                try
                {
                    var versions = await StockTable.QueryOnAsync(connection, sql);
                    Reads++;
                    if (versions.Count != expectedRows)
                    {
                        _anomalies.Add($"read {Reads}: {versions.Count} rows instead of {expectedRows}");
                    }
                    else if (versions.Distinct().Count() > 1)
                    {
                        _anomalies.Add($"read {Reads}: a mix of versions {string.Join(", ", versions.Distinct())}");
                    }
                    else
                    {
                        _versionsSeen.Add(versions[0]);
                    }
                }
                catch (DbException ex)
                {
                    _anomalies.Add($"read {Reads}: {ex.Message}");
                }
            }
        });
    }

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await _loop!;
    }
}

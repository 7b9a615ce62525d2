using System.Globalization;
using BatchDb.Engine.Aggregates;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Cdc;

/// <summary>
/// Applies a capture's transactions to a staging table, one destination transaction per source transaction. The
/// source commit position is written in the same transaction as the rows it produced (the ledger's watermark), so
/// a transaction is applied exactly once whatever stops the process, and whichever engine staging is on.
/// </summary>
internal sealed class ChangeApplier(
    DatabaseSession target,
    Ledger ledger,
    QualifiedName table,
    IReadOnlyList<TableColumn> tableColumns,
    ReceiveRequest request,
    string positionSource,
    long? batchId,
    CancellationTokenSource stop,
    IProgress<OperationProgress>? progress) : IChangeSink
{
    /// <summary>The change log's own columns, in the order a log entry's statement writes them.</summary>
    public static readonly IReadOnlyList<string> LogColumns = ["change_lsn", "change_position", "change_operation", "change_time"];

    public const string PositionColumn = "commit_lsn";

    private const int ProgressEveryChanges = 1000;

    private readonly IUpsertSession _upserts = target.Require<IUpsertSession>();
    private readonly Dictionary<ChangeKind, long> _counts = NoChanges();
    private readonly Dictionary<ChangeKind, long> _open = NoChanges();
    private readonly List<object?[]> _pending = [];
    private readonly Dictionary<string, int> _pendingKeys = new(StringComparer.Ordinal);
    private Pending _pendingKind;
    private Statements? _statements;
    private ulong _commitLsn;
    private DateTime _commitTime;
    private int _position;

    public int Transactions { get; private set; }

    /// <summary>The changes of committed transactions.</summary>
    public long Changes => _counts.Values.Sum();

    public ulong? LastLsn { get; private set; }

    public DateTime? LastCommitTimeUtc { get; private set; }

    public long Count(ChangeKind kind) => _counts[kind];

    public async Task RelationAsync(CapturedRelation relation, CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        _statements = await Statements.PlanAsync(target, _upserts, table, tableColumns, relation, request, cancellationToken).ConfigureAwait(false);
    }

    public async Task BeginAsync(ulong commitLsn, DateTime commitTimeUtc, CancellationToken cancellationToken)
    {
        (_commitLsn, _commitTime, _position) = (commitLsn, commitTimeUtc, 0);
        await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ChangeAsync(ChangeKind kind, object?[]? row, object?[]? oldKey, CancellationToken cancellationToken)
    {
        var statements = _statements ?? throw new InvalidOperationException("A change arrived before its table's description.");
        _position++;
        if (request.Mode == CaptureMode.ChangeLog)
        {
            await AddAsync(Pending.LogEntries, statements.LogValues(kind, _commitLsn, _position, _commitTime, row, batchId), null, cancellationToken).ConfigureAwait(false);
        }
        else if (kind == ChangeKind.Truncate)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            await target.ExecuteStatementAsync(statements.DeleteAll, cancellationToken).ConfigureAwait(false);
        }
        else if (kind == ChangeKind.Delete)
        {
            await AddAsync(Pending.Deletes, statements.KeyValues(row!), null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (oldKey is not null && !statements.SameKey(oldKey, row!))
            {
                await AddAsync(Pending.Deletes, statements.KeyValues(oldKey), null, cancellationToken).ConfigureAwait(false);
            }

            if (statements.HasValueColumns)
            {
                await AddAsync(Pending.Upserts, statements.RowValues(row!, batchId), statements.KeyText(row!), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Every column is a key column: there is nothing to update, only a row to have once.
                await AddAsync(Pending.Deletes, statements.KeyValues(row!), null, cancellationToken).ConfigureAwait(false);
                await AddAsync(Pending.Inserts, statements.RowValues(row!, batchId), null, cancellationToken).ConfigureAwait(false);
            }
        }

        _open[kind]++;
        var changes = Changes + _open.Values.Sum();
        if (changes % ProgressEveryChanges == 0)
        {
            progress?.Report(new OperationProgress($"Receiving changes of capture {request.Name} into {table}", $"{changes:N0} changes applied", -1));
        }

        if (request.MaxChanges is { } most && changes >= most)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        await FlushAsync(cancellationToken).ConfigureAwait(false);
        await ledger.SaveWatermarkAsync(positionSource, table.ToString(), new Watermark(PositionColumn, (long)_commitLsn), batchId, cancellationToken).ConfigureAwait(false);
        await target.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var kind in _open.Keys.ToList())
        {
            _counts[kind] += _open[kind];
            _open[kind] = 0;
        }

        Transactions++;
        (LastLsn, LastCommitTimeUtc) = (_commitLsn, _commitTime);
    }

    public Task RollBackAsync()
    {
        ClearPending();
        foreach (var kind in _open.Keys.ToList())
        {
            _open[kind] = 0;
        }

        return target.RollBackQuietlyAsync();
    }

    private static Dictionary<ChangeKind, long> NoChanges() =>
        new() { [ChangeKind.Insert] = 0, [ChangeKind.Update] = 0, [ChangeKind.Delete] = 0, [ChangeKind.Truncate] = 0 };

    /// <summary>
    /// Adds a row to the statement being gathered, which is sent first when it is of another kind, so that changes
    /// reach staging in source order. Upserts of a key already gathered replace its row: the last version wins.
    /// </summary>
    private async Task AddAsync(Pending kind, object?[] values, string? key, CancellationToken cancellationToken)
    {
        if (_pendingKind != kind)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
            _pendingKind = kind;
        }

        if (key is not null && _pendingKeys.TryGetValue(key, out var index))
        {
            _pending[index] = values;
            return;
        }

        if (key is not null)
        {
            _pendingKeys[key] = _pending.Count;
        }

        _pending.Add(values);
        if (_pending.Count >= _statements!.RowsPerStatement)
        {
            await FlushAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task FlushAsync(CancellationToken cancellationToken)
    {
        if (_pending.Count == 0 || _statements is not { } statements)
        {
            ClearPending();
            return;
        }

        var (sql, parameters) = _pendingKind switch
        {
            Pending.Upserts => (statements.Upserts(_pending.Count), _pending.SelectMany(r => r).ToArray()),
            Pending.Inserts => (statements.Inserts(_pending.Count), _pending.SelectMany(r => r).ToArray()),
            Pending.LogEntries => (statements.LogEntries(_pending.Count), _pending.SelectMany(r => r).ToArray()),
            _ => statements.Deletes(_pending),
        };
        ClearPending();
        await target.ExecuteStatementAsync(sql, cancellationToken, parameters).ConfigureAwait(false);
    }

    private void ClearPending()
    {
        _pending.Clear();
        _pendingKeys.Clear();
        _pendingKind = Pending.None;
    }

    private enum Pending
    {
        None,
        Upserts,
        Inserts,
        Deletes,
        LogEntries,
    }

    /// <summary>The statements of one captured table's definition, with the mapping of its columns onto staging.</summary>
    private sealed class Statements
    {
        /// <summary>Parameters per statement at most: both engines take 65,535; fewer keep a statement's text small.</summary>
        private const int MaxParameters = 30_000;
        private const int MaxRows = 1000;
        private const int RecurringRows = 8;

        private readonly DatabaseSession _target;
        private readonly IUpsertSession _upserts;
        private readonly QualifiedName _table;
        private readonly IReadOnlyList<TableColumn> _targets;
        private readonly int[] _keyIndexes;
        private readonly IReadOnlyList<string> _keyColumns;
        private readonly IReadOnlyList<string> _rowColumns;
        private readonly IReadOnlyList<string> _logColumns;
        private readonly TableColumn? _batchColumn;
        private readonly Dictionary<(Pending, int), string> _byRows = [];

        private Statements(DatabaseSession target, IUpsertSession upserts, QualifiedName table, IReadOnlyList<TableColumn> targets, int[] keyIndexes,
            TableColumn? batchColumn, IReadOnlyList<string> logColumns)
        {
            (_target, _upserts, _table, _targets, _keyIndexes, _batchColumn) = (target, upserts, table, targets, keyIndexes, batchColumn);
            _keyColumns = keyIndexes.Select(i => targets[i].Name).ToList();
            _rowColumns = targets.Select(c => c.Name).Concat(batchColumn is null ? [] : [batchColumn.Name]).ToList();
            _logColumns = [.. logColumns, .. _rowColumns];
            HasValueColumns = _rowColumns.Any(c => !_keyColumns.Contains(c));
            RowsPerStatement = Math.Clamp(MaxParameters / Math.Max(_logColumns.Count, 1), 1, MaxRows);
            DeleteAll = $"DELETE FROM {target.QuoteName(table)}";
        }

        public bool HasValueColumns { get; }

        public int RowsPerStatement { get; }

        public string DeleteAll { get; }

        public static async Task<Statements> PlanAsync(DatabaseSession target, IUpsertSession upserts, QualifiedName table, IReadOnlyList<TableColumn> tableColumns,
            CapturedRelation relation, ReceiveRequest request, CancellationToken cancellationToken)
        {
            var missing = new List<string>();
            TableColumn Column(string name)
            {
                var found = ColumnNames.Find(tableColumns, c => c.Name, name);
                if (found is null)
                {
                    missing.Add(name);
                }

                return found ?? new TableColumn(name, string.Empty, null);
            }

            var targets = relation.Columns.Select(Column).ToList();
            var batchColumn = request.BatchIdColumn is { } b ? Column(b) : null;
            var logColumns = request.Mode == CaptureMode.ChangeLog ? LogColumns.Select(c => Column(c).Name).ToList() : [];
            if (missing.Count > 0)
            {
                throw new BatchDbException(ErrorIds.ColumnNotFound, BatchDbErrorKind.InvalidOperation,
                    $"The staging table {table} has no column {string.Join(", ", missing)} for the changes of {relation} ({request.Mode}); " +
                    "add it and receive again. Nothing of this transaction was applied and the capture's position is unchanged.")
                { Target = table.ToString() };
            }

            var keyIndexes = Enumerable.Range(0, relation.Columns.Count).Where(i => relation.IsKey[i]).ToArray();
            var keyColumns = keyIndexes.Select(i => targets[i].Name).ToList();
            if (request.Mode == CaptureMode.Mirror && (keyColumns.Count == 0 || !await upserts.HasUniqueKeyAsync(table, keyColumns, cancellationToken).ConfigureAwait(false)))
            {
                throw new BatchDbException(ErrorIds.UniqueKeyRequired, BatchDbErrorKind.InvalidOperation,
                    $"A mirror of {relation} needs a primary key or unique index on ({string.Join(", ", keyColumns)}) in {table}, the columns that identify its rows at the source.")
                { Target = table.ToString() };
            }

            return new Statements(target, upserts, table, targets, keyIndexes, batchColumn, logColumns);
        }

        public string Upserts(int rows) => ByRows(Pending.Upserts, rows, () =>
            _upserts.UpsertSelect(_table, _rowColumns, Values(rows, _rowColumns.Count), _keyColumns, _rowColumns.Where(c => !_keyColumns.Contains(c)).ToList(), null));

        public string Inserts(int rows) => ByRows(Pending.Inserts, rows, () =>
            $"INSERT INTO {_target.QuoteName(_table)} ({string.Join(", ", _rowColumns.Select(_target.QuoteIdentifier))}) {Values(rows, _rowColumns.Count)}");

        public string LogEntries(int rows) => ByRows(Pending.LogEntries, rows, () =>
            $"INSERT INTO {_target.QuoteName(_table)} ({string.Join(", ", _logColumns.Select(_target.QuoteIdentifier))}) {Values(rows, _logColumns.Count)}");

        /// <summary>A DELETE of the rows with these keys; = on each value (so that the key's index is used), IS NULL where a value is null.</summary>
        public (string Sql, object?[] Parameters) Deletes(IReadOnlyList<object?[]> keys)
        {
            var parameters = new List<object?>();
            var conditions = keys.Select(key => "(" + string.Join(" AND ", _keyColumns.Select((column, i) =>
            {
                if (key[i] is null)
                {
                    return $"{_target.QuoteIdentifier(column)} IS NULL";
                }

                parameters.Add(key[i]);
                return $"{_target.QuoteIdentifier(column)} = @p{parameters.Count - 1}";
            })) + ")");
            return ($"DELETE FROM {_target.QuoteName(_table)} WHERE {string.Join(" OR ", conditions)}", parameters.ToArray());
        }

        public object?[] RowValues(object?[] row, long? batchId)
        {
            var values = new object?[row.Length + (_batchColumn is null ? 0 : 1)];
            for (var i = 0; i < row.Length; i++)
            {
                values[i] = ForColumn(row[i], _targets[i]);
            }

            if (_batchColumn is not null)
            {
                // Typed as the column is: PostgreSQL casts neither a number into text nor text into a number here.
                values[^1] = batchId is { } id && !IsNumeric(_batchColumn) ? id.ToString(CultureInfo.InvariantCulture) : batchId;
            }

            return values;
        }

        public object?[] KeyValues(object?[] row) => _keyIndexes.Select(i => ForColumn(row[i], _targets[i])).ToArray();

        /// <summary>The key of a row as text, to find an earlier version of the row among those gathered.</summary>
        public string KeyText(object?[] row) => string.Join("\u001f", _keyIndexes.Select(i => Convert.ToString(row[i], CultureInfo.InvariantCulture) ?? "\u0000"));

        public bool SameKey(object?[] oldKey, object?[] row) => _keyIndexes.All(i => Equals(oldKey[i], row[i]));

        public object?[] LogValues(ChangeKind kind, ulong lsn, int position, DateTime commitTime, object?[]? row, long? batchId) =>
            [(long)lsn, position, ((char)kind).ToString(), commitTime, .. RowValues(row ?? new object?[_targets.Count], batchId)];

        /// <summary>The statement for this many rows; kept for full statements and small ones, the sizes that recur.</summary>
        private string ByRows(Pending kind, int rows, Func<string> build)
        {
            if (_byRows.TryGetValue((kind, rows), out var sql))
            {
                return sql;
            }

            sql = build();
            if (rows == RowsPerStatement || rows <= RecurringRows)
            {
                _byRows[(kind, rows)] = sql;
            }

            return sql;
        }

        private static string Values(int rows, int width) =>
            "VALUES " + string.Join(", ", Enumerable.Range(0, rows).Select(r => "(" + string.Join(", ", Enumerable.Range(r * width, width).Select(p => $"@p{p}")) + ")"));

        private static bool IsNumeric(TableColumn column) =>
            column.DataType.Contains("int", StringComparison.OrdinalIgnoreCase) || column.DataType.StartsWith("numeric", StringComparison.OrdinalIgnoreCase)
            || column.DataType.StartsWith("decimal", StringComparison.OrdinalIgnoreCase);

        /// <summary>A UUID goes into a text column (MySQL has no UUID type) as its usual 36-character form.</summary>
        private static object? ForColumn(object? value, TableColumn column) =>
            value is Guid guid && !column.DataType.Contains("uuid", StringComparison.OrdinalIgnoreCase) ? guid.ToString("D") : value;
    }
}

using System.Globalization;
using BatchDb.Engine.Aggregates;
using BatchDb.Engine.Diagnostics;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Executions;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Cdc;

/// <summary>
/// Applies a capture's transactions to its staging tables, one destination transaction per source transaction. The
/// source commit position is written in the same transaction as the rows it produced (the ledger's watermark), so
/// a transaction is applied exactly once whatever stops the process, and whichever engine staging is on.
/// </summary>
internal sealed class ChangeApplier(
    DatabaseSession target,
    Ledger ledger,
    IReadOnlyList<StagingTable> stagings,
    ReceiveRequest request,
    string positionSource,
    string positionTarget,
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
    private readonly Dictionary<uint, Batch> _batches = [];
    private readonly StatementPipeline _pipeline = new(target);
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
        if (_batches.TryGetValue(relation.Id, out var previous))
        {
            await previous.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await _pipeline.DrainAsync().ConfigureAwait(false);
        var staging = stagings.FirstOrDefault(s => s.Source.Schema == relation.Schema && s.Source.Name == relation.Name)
            ?? throw new BatchDbException(ErrorIds.TableNotFound, BatchDbErrorKind.ObjectNotFound,
                $"Changes of {relation} arrived, which is not among the tables this receive maps ({string.Join(", ", stagings.Select(s => s.Source))}); " +
                "it was added to the publication by hand. Remove and create the capture again. The capture's position is unchanged.")
            { Target = relation.ToString() };
        _batches[relation.Id] = new Batch(_pipeline, await Statements.PlanAsync(target, _upserts, staging, relation, request, cancellationToken).ConfigureAwait(false));
    }

    public async Task BeginAsync(ulong commitLsn, DateTime commitTimeUtc, CancellationToken cancellationToken)
    {
        (_commitLsn, _commitTime, _position) = (commitLsn, commitTimeUtc, 0);
        await target.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
    }

    public async Task ChangeAsync(CapturedRelation relation, ChangeKind kind, object?[]? row, object?[]? oldKey, CancellationToken cancellationToken)
    {
        var batch = _batches.GetValueOrDefault(relation.Id) ?? throw new InvalidOperationException($"A change of {relation} arrived before its description.");
        var statements = batch.Statements;
        _position++;
        if (request.Mode == CaptureMode.ChangeLog)
        {
            await batch.AddAsync(Pending.LogEntries, statements.LogValues(kind, _commitLsn, _position, _commitTime, row, batchId), null, cancellationToken).ConfigureAwait(false);
        }
        else if (kind == ChangeKind.Truncate)
        {
            await batch.FlushAsync(cancellationToken).ConfigureAwait(false);
            await _pipeline.SendAsync(statements.DeleteAll, [], cancellationToken).ConfigureAwait(false);
        }
        else if (kind == ChangeKind.Delete)
        {
            await batch.AddAsync(Pending.Deletes, statements.KeyValues(row!), null, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            if (oldKey is not null && !statements.SameKey(oldKey, row!))
            {
                await batch.AddAsync(Pending.Deletes, statements.KeyValues(oldKey), null, cancellationToken).ConfigureAwait(false);
            }

            if (statements.HasValueColumns)
            {
                await batch.AddAsync(Pending.Upserts, statements.RowValues(row!, batchId), statements.KeyText(row!), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                // Every column is a key column: there is nothing to update, only a row to have once.
                await batch.AddAsync(Pending.Deletes, statements.KeyValues(row!), null, cancellationToken).ConfigureAwait(false);
                await batch.AddAsync(Pending.Inserts, statements.RowValues(row!, batchId), null, cancellationToken).ConfigureAwait(false);
            }
        }

        _open[kind]++;
        var changes = Changes + _open.Values.Sum();
        if (changes % ProgressEveryChanges == 0)
        {
            progress?.Report(new OperationProgress($"Receiving changes of capture {request.Name} into {positionTarget}", $"{changes:N0} changes applied", -1));
        }

        if (request.MaxChanges is { } most && changes >= most)
        {
            await stop.CancelAsync().ConfigureAwait(false);
        }
    }

    public async Task CommitAsync(CancellationToken cancellationToken)
    {
        foreach (var batch in _batches.Values)
        {
            await batch.FlushAsync(cancellationToken).ConfigureAwait(false);
        }

        await _pipeline.DrainAsync().ConfigureAwait(false);
        await ledger.SaveWatermarkAsync(positionSource, positionTarget, new Watermark(PositionColumn, (long)_commitLsn), batchId, cancellationToken).ConfigureAwait(false);
        await target.CommitAsync(cancellationToken).ConfigureAwait(false);
        foreach (var kind in _open.Keys.ToList())
        {
            _counts[kind] += _open[kind];
            _open[kind] = 0;
        }

        Transactions++;
        (LastLsn, LastCommitTimeUtc) = (_commitLsn, _commitTime);
    }

    public async Task RollBackAsync()
    {
        foreach (var batch in _batches.Values)
        {
            batch.Clear();
        }

        foreach (var kind in _open.Keys.ToList())
        {
            _open[kind] = 0;
        }

        await _pipeline.AbandonAsync().ConfigureAwait(false);
        await target.RollBackQuietlyAsync().ConfigureAwait(false);
    }

    private static Dictionary<ChangeKind, long> NoChanges() =>
        new() { [ChangeKind.Insert] = 0, [ChangeKind.Update] = 0, [ChangeKind.Delete] = 0, [ChangeKind.Truncate] = 0 };

    private enum Pending
    {
        None,
        Upserts,
        Inserts,
        Deletes,
        LogEntries,
    }

    /// <summary>
    /// The rows of one staging table gathered into the statement to send next. Changes of different tables do not
    /// meet in staging, so each table gathers its own; within a table they reach staging in source order.
    /// </summary>
    private sealed class Batch(StatementPipeline pipeline, Statements statements)
    {
        private readonly List<object?[]> _pending = [];
        private readonly Dictionary<string, int> _pendingKeys = new(StringComparer.Ordinal);
        private Pending _pendingKind;

        public Statements Statements => statements;

        /// <summary>
        /// Adds a row to the statement being gathered, which is sent first when it is of another kind. Upserts of a key
        /// already gathered replace its row: the last version wins.
        /// </summary>
        public async Task AddAsync(Pending kind, object?[] values, string? key, CancellationToken cancellationToken)
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
            if (_pending.Count >= statements.RowsPerStatement)
            {
                await FlushAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public async Task FlushAsync(CancellationToken cancellationToken)
        {
            if (_pending.Count == 0)
            {
                Clear();
                return;
            }

            var (sql, parameters) = _pendingKind switch
            {
                Pending.Upserts => (statements.Upserts(_pending.Count), statements.Parameters(_pendingKind, _pending)),
                Pending.Inserts => (statements.Inserts(_pending.Count), statements.Parameters(_pendingKind, _pending)),
                Pending.LogEntries => (statements.LogEntries(_pending.Count), statements.Parameters(_pendingKind, _pending)),
                _ => statements.Deletes(_pending),
            };
            Clear();
            await pipeline.SendAsync(sql, parameters, cancellationToken).ConfigureAwait(false);
        }

        public void Clear()
        {
            _pending.Clear();
            _pendingKeys.Clear();
            _pendingKind = Pending.None;
        }
    }

    /// <summary>
    /// The statements of a transaction, sent one at a time on the target session, each while the stream reads and
    /// gathers the next changes: a statement is awaited when the next is sent, before a query, and at the commit,
    /// so its error still fails the transaction before the position is stored.
    /// </summary>
    private sealed class StatementPipeline(DatabaseSession target)
    {
        private Task _sent = Task.CompletedTask;

        public async Task SendAsync(string sql, object?[] parameters, CancellationToken cancellationToken)
        {
            await DrainAsync().ConfigureAwait(false);
            _sent = target.ExecuteStatementAsync(sql, cancellationToken, parameters);
        }

        public async Task DrainAsync()
        {
            var sent = _sent;
            _sent = Task.CompletedTask;
            await sent.ConfigureAwait(false);
        }

        /// <summary>Waits for the statement sent, whose outcome no longer matters: the transaction is being rolled back.</summary>
        public async Task AbandonAsync()
        {
            try
            {
                await DrainAsync().ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is BatchDbException or OperationCanceledException)
            {
                // The rollback that follows undoes it; the error that ended the stream is the one reported.
            }
        }
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
        private readonly IReadOnlyList<TableColumn> _rowColumns;
        private readonly IReadOnlyList<TableColumn> _logColumns;
        private readonly TableColumn? _batchColumn;
        private readonly Dictionary<(Pending, int), string> _byRows = [];

        private Statements(DatabaseSession target, IUpsertSession upserts, QualifiedName table, IReadOnlyList<TableColumn> targets, int[] keyIndexes,
            TableColumn? batchColumn, IReadOnlyList<TableColumn> logColumns)
        {
            (_target, _upserts, _table, _targets, _keyIndexes, _batchColumn) = (target, upserts, table, targets, keyIndexes, batchColumn);
            _keyColumns = keyIndexes.Select(i => targets[i].Name).ToList();
            _rowColumns = [.. targets, .. batchColumn is null ? [] : new[] { batchColumn }];
            _logColumns = [.. logColumns, .. _rowColumns];
            HasValueColumns = _rowColumns.Any(c => !_keyColumns.Contains(c.Name));
            RowsPerStatement = Math.Clamp(MaxParameters / Math.Max(_logColumns.Count, 1), 1, MaxRows);
            DeleteAll = $"DELETE FROM {target.QuoteName(table)}";
        }

        public bool HasValueColumns { get; }

        public int RowsPerStatement { get; }

        public string DeleteAll { get; }

        public static async Task<Statements> PlanAsync(DatabaseSession target, IUpsertSession upserts, StagingTable staging, CapturedRelation relation,
            ReceiveRequest request, CancellationToken cancellationToken)
        {
            var logColumns = request.Mode == CaptureMode.ChangeLog ? LogColumns : [];
            var mapped = staging.Require(relation.Columns.Concat(request.BatchIdColumn is { } b ? [b] : []).Concat(logColumns),
                $"the changes of {relation} ({request.Mode})", "Receive again once it is there: nothing of this transaction was applied and the capture's position is unchanged.");
            var targets = mapped.Take(relation.Columns.Count).ToList();
            var batchColumn = request.BatchIdColumn is null ? null : mapped[relation.Columns.Count];
            var keyIndexes = Enumerable.Range(0, relation.Columns.Count).Where(i => relation.IsKey[i]).ToArray();
            var statements = new Statements(target, upserts, staging.Table, targets, keyIndexes, batchColumn, mapped.Skip(mapped.Count - logColumns.Count).ToList());
            if (request.Mode == CaptureMode.Mirror
                && (keyIndexes.Length == 0 || !await upserts.HasUniqueKeyAsync(staging.Table, statements._keyColumns, cancellationToken).ConfigureAwait(false)))
            {
                throw new BatchDbException(ErrorIds.UniqueKeyRequired, BatchDbErrorKind.InvalidOperation,
                    $"A mirror of {relation} needs a primary key or unique index on ({string.Join(", ", statements._keyColumns)}) in {staging.Table}, the columns that identify its rows at the source.")
                { Target = staging.Table.ToString() };
            }

            return statements;
        }

        public string Upserts(int rows) => ByRows(Pending.Upserts, rows, () =>
            _upserts.UpsertSelect(_table, Names(_rowColumns), _target.SelectRows(_rowColumns, rows), _keyColumns,
                Names(_rowColumns).Where(c => !_keyColumns.Contains(c)).ToList(), null));

        public string Inserts(int rows) => ByRows(Pending.Inserts, rows, () =>
            $"INSERT INTO {_target.QuoteName(_table)} ({string.Join(", ", _rowColumns.Select(c => _target.QuoteIdentifier(c.Name)))}) {_target.SelectRows(_rowColumns, rows)}");

        public string LogEntries(int rows) => ByRows(Pending.LogEntries, rows, () =>
            $"INSERT INTO {_target.QuoteName(_table)} ({string.Join(", ", _logColumns.Select(c => _target.QuoteIdentifier(c.Name)))}) {_target.SelectRows(_logColumns, rows)}");

        /// <summary>The parameters of an upsert, insert or log statement for these rows.</summary>
        public object?[] Parameters(Pending kind, IReadOnlyList<object?[]> rows) => _target.RowParameters(kind == Pending.LogEntries ? _logColumns : _rowColumns, rows);

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

        private static List<string> Names(IEnumerable<TableColumn> columns) => columns.Select(c => c.Name).ToList();

        private static bool IsNumeric(TableColumn column) =>
            column.DataType.Contains("int", StringComparison.OrdinalIgnoreCase) || column.DataType.StartsWith("numeric", StringComparison.OrdinalIgnoreCase)
            || column.DataType.StartsWith("decimal", StringComparison.OrdinalIgnoreCase);

        /// <summary>A UUID goes into a text column (MySQL has no UUID type) as its usual 36-character form.</summary>
        private static object? ForColumn(object? value, TableColumn column) =>
            value is Guid guid && !column.DataType.Contains("uuid", StringComparison.OrdinalIgnoreCase) ? guid.ToString("D") : value;
    }
}

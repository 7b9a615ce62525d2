using System.Data;
using System.Data.Common;
using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;
using MySqlConnector;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// Reading query results row by row and writing rows through one LOAD DATA LOCAL INFILE, for extracts: the rows are
/// formatted as CSV into a pipe that the load reads while they are being written, so nothing touches the disk.
/// </summary>
internal sealed partial class MySqlSession
{
    private const int PipeBytes = 1 << 20;

    public override async Task<IReadOnlyList<TableColumn>> DescribeColumnsAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT COLUMN_NAME, COLUMN_TYPE,
                   CASE WHEN DATA_TYPE IN ('decimal', 'numeric', 'tinyint', 'smallint', 'mediumint', 'int', 'bigint') THEN NUMERIC_SCALE END
            FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = @p0 AND TABLE_NAME = @p1 ORDER BY ORDINAL_POSITION
            """,
            cancellationToken, table.Schema, table.Name).ConfigureAwait(false);
        return rows.Select(r => new TableColumn((string)r[0]!, (string)r[1]!, r[2] is null ? null : Convert.ToInt32(r[2], CultureInfo.InvariantCulture))).ToList();
    }

    public Task<BulkRowWriter> BeginBulkInsertAsync(QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken) =>
        Task.FromResult<BulkRowWriter>(new LoadDataRowWriter(this, table, columns, cancellationToken));

    public string CsvNullMarker => "NULL";

    public async Task LoadCsvAsync(QualifiedName table, IReadOnlyList<string> columns, Stream csv, CancellationToken cancellationToken)
    {
        var loader = CsvLoader(table, columns, csv);
        await RunAsync($"LOAD DATA LOCAL INFILE … INTO TABLE {loader.TableName}", () => loader.LoadAsync(cancellationToken), cancellationToken).ConfigureAwait(false);
        await ThrowIfRowsRejectedAsync(table, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>LOAD DATA LOCAL of the CSV that <see cref="CsvRowText"/> writes (NULL unquoted as the word NULL), read from a stream.</summary>
    private MySqlBulkLoader CsvLoader(QualifiedName table, IReadOnlyList<string> columns, Stream csv)
    {
        var loader = new MySqlBulkLoader(_connection)
        {
            TableName = $"{Quote(table)} CHARACTER SET utf8mb4 FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"' ESCAPED BY '' LINES TERMINATED BY '\\n'",
            Local = true,
            Timeout = NoTimeout,
            SourceStream = csv,
        };
        loader.Columns.AddRange(columns.Select(Quote));
        return loader;
    }

    /// <summary>With LOCAL the server cannot stop the transfer, so it turns errors (values too long, duplicate keys) into warnings: they refuse the load.</summary>
    private async Task ThrowIfRowsRejectedAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var warnings = await QueryAsync($"SHOW WARNINGS LIMIT {MaxReportedProblems}", cancellationToken).ConfigureAwait(false);
        if (warnings.Count > 0)
        {
            var problems = warnings.Select(w => RowNumberPattern().Replace((string)w[2]!, m => $" at extracted row {m.Groups[1].Value}"));
            throw new BatchDbException(ErrorIds.RowsRejected, BatchDbErrorKind.InvalidData,
                $"MySQL rejected rows written to {table}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}")
            { Target = table.ToString() };
        }
    }

    public override Task UseUtcAsync(CancellationToken cancellationToken) => ExecuteAsync("SET time_zone = '+00:00'", cancellationToken);

    public override string QuoteIdentifier(string identifier) => Quote(identifier);

    public string DeleteWithPartner(QualifiedName table, string condition) =>
        $"DELETE d FROM {Quote(table)} AS d JOIN {Quote(table)} AS n ON {condition}";

    private sealed class LoadDataRowWriter : BulkRowWriter
    {
        private readonly MySqlSession _session;
        private readonly QualifiedName _table;
        private readonly CsvRowText _text;
        private readonly Pipe _pipe = new(new PipeOptions(pauseWriterThreshold: PipeBytes, resumeWriterThreshold: PipeBytes / 2));
        private readonly StreamWriter _writer;
        private readonly Task<int> _loading;
        private long _rows;

        public LoadDataRowWriter(MySqlSession session, QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
        {
            _session = session;
            _table = table;
            _text = new CsvRowText(columns, "NULL");
            _writer = new StreamWriter(_pipe.Writer.AsStream(), new UTF8Encoding(false), 1 << 16);
            var loader = session.CsvLoader(table, columns, _pipe.Reader.AsStream());
            _loading = session.RunAsync($"LOAD DATA LOCAL INFILE … INTO TABLE {loader.TableName}", () => loader.LoadAsync(cancellationToken), cancellationToken);
            // A load that ends early (a server error before it reads) must not leave the writer waiting for room.
            _ = _loading.ContinueWith(_ => _pipe.Reader.Complete(), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }

        public override async ValueTask WriteRowAsync(object?[] values, CancellationToken cancellationToken)
        {
            if (_loading.IsCompleted)
            {
                await _loading.ConfigureAwait(false);
                throw new InvalidOperationException($"The load into {_table} ended before every row was sent.");
            }

            _rows++;
            if (_text.Append(values))
            {
                await SendAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task SendAsync(CancellationToken cancellationToken)
        {
            await _writer.WriteAsync(_text.Batch, cancellationToken).ConfigureAwait(false);
            _text.Batch.Clear();
        }

        public override async Task<long> CompleteAsync(CancellationToken cancellationToken)
        {
            await SendAsync(cancellationToken).ConfigureAwait(false);
            await _writer.FlushAsync(cancellationToken).ConfigureAwait(false);
            await _pipe.Writer.CompleteAsync().ConfigureAwait(false);
            await _loading.ConfigureAwait(false);
            await _session.ThrowIfRowsRejectedAsync(_table, cancellationToken).ConfigureAwait(false);

            return _rows;
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_loading.IsCompleted)
            {
                // Abandoned: end the load's input with an error, so the load stops and its rows go with the transaction.
                await _pipe.Writer.CompleteAsync(new OperationCanceledException("The extract was abandoned.")).ConfigureAwait(false);
            }

            await _loading.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
        }
    }
}

using System.Data;
using System.Data.Common;
using System.Globalization;
using System.Text;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Dialects.MySql;

/// <summary>
/// Reading query results row by row and writing rows through LOAD DATA LOCAL INFILE, for extracts. MySql.Data
/// sends local files only by name, so rows go through temporary files of <see cref="ChunkRows"/> rows; one chunk
/// is written while the previous one loads.
/// </summary>
internal sealed partial class MySqlSession
{
    private const int ChunkRows = 100_000;

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

    public override async Task<IReadOnlyList<string>> DescribeResultAsync(string query, CancellationToken cancellationToken)
    {
        using var command = CreateCommand($"SELECT * FROM ({query}) AS batchdb_source WHERE 1 = 0", null, []);
        return await RunAsync(command, async c =>
        {
            using DbDataReader reader = await c.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            return (IReadOnlyList<string>)Enumerable.Range(0, reader.FieldCount).Select(reader.GetName).ToList();
        }, cancellationToken).ConfigureAwait(false);
    }

    public override async Task<long> StreamRowsAsync(string sql, object?[] parameters, Func<object?[], CancellationToken, ValueTask> onRow, CancellationToken cancellationToken)
    {
        using var command = CreateCommand(sql, NoTimeout, parameters);
        return await RunAsync(command, async c =>
        {
            using DbDataReader reader = await c.ExecuteReaderAsync(CommandBehavior.SequentialAccess, cancellationToken).ConfigureAwait(false);
            var values = new object?[reader.FieldCount];
            long count = 0;
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                for (var i = 0; i < values.Length; i++)
                {
                    values[i] = reader.IsDBNull(i) ? null : reader.GetValue(i);
                }

                await onRow(values, cancellationToken).ConfigureAwait(false);
                count++;
            }

            return count;
        }, cancellationToken).ConfigureAwait(false);
    }

    public override Task<BulkRowWriter> BeginBulkInsertAsync(QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken) =>
        Task.FromResult<BulkRowWriter>(new LoadDataRowWriter(this, table, columns));

    public override Task UseUtcAsync(CancellationToken cancellationToken) => ExecuteAsync("SET time_zone = '+00:00'", cancellationToken);

    public override string QuoteIdentifier(string identifier) => Quote(identifier);

    public override string DeleteWithPartner(QualifiedName table, string condition) =>
        $"DELETE d FROM {Quote(table)} AS d JOIN {Quote(table)} AS n ON {condition}";

    private async Task LoadChunkAsync(QualifiedName table, IReadOnlyList<string> columns, string path, long firstRow, CancellationToken cancellationToken)
    {
        var sql = $"""
            LOAD DATA LOCAL INFILE {Literal(path.Replace('\\', '/'))} INTO TABLE {Quote(table)} CHARACTER SET utf8mb4
            FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '"' ESCAPED BY '' LINES TERMINATED BY '\n'
            ({string.Join(", ", columns.Select(Quote))})
            """;
        await ExecuteAsync(sql, cancellationToken, NoTimeout).ConfigureAwait(false);
        var warnings = await QueryAsync($"SHOW WARNINGS LIMIT {MaxReportedProblems}", cancellationToken).ConfigureAwait(false);
        if (warnings.Count > 0)
        {
            // With LOCAL the server cannot stop the transfer, so it turns errors (values too long, duplicate keys) into warnings.
            var problems = warnings.Select(w => RowNumberPattern().Replace((string)w[2]!, m =>
                $" at extracted row {long.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) + firstRow - 1}"));
            throw new BatchDbException(ErrorIds.RowsRejected, BatchDbErrorKind.InvalidData,
                $"MySQL rejected rows written to {table}:{Environment.NewLine}  {string.Join(Environment.NewLine + "  ", problems)}", null, sql)
            { Target = table.ToString() };
        }
    }

    private sealed class LoadDataRowWriter : BulkRowWriter
    {
        private readonly MySqlSession _session;
        private readonly QualifiedName _table;
        private readonly IReadOnlyList<string> _columns;
        private readonly CsvRowText _text;
        private readonly List<string> _files = [];
        private StreamWriter? _chunk;
        private long _chunkFirstRow = 1;
        private long _rows;
        private Task? _loading;

        public LoadDataRowWriter(MySqlSession session, QualifiedName table, IReadOnlyList<string> columns)
        {
            _session = session;
            _table = table;
            _columns = columns;
            _text = new CsvRowText(columns, "NULL");
        }

        public override async ValueTask WriteRowAsync(object?[] values, CancellationToken cancellationToken)
        {
            _chunk ??= OpenChunk();
            await _chunk.WriteAsync(_text.Format(values), cancellationToken).ConfigureAwait(false);
            _rows++;
            if (_rows - _chunkFirstRow + 1 >= ChunkRows)
            {
                await StartLoadAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        public override async Task<long> CompleteAsync(CancellationToken cancellationToken)
        {
            if (_chunk is not null)
            {
                await StartLoadAsync(cancellationToken).ConfigureAwait(false);
            }

            if (_loading is not null)
            {
                await _loading.ConfigureAwait(false);
                _loading = null;
            }

            return _rows;
        }

        public override async ValueTask DisposeAsync()
        {
            if (_chunk is not null)
            {
                await _chunk.DisposeAsync().ConfigureAwait(false);
            }

            if (_loading is not null)
            {
                await _loading.ContinueWith(_ => { }, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default).ConfigureAwait(false);
            }

            foreach (var file in _files)
            {
                File.Delete(file);
            }
        }

        private StreamWriter OpenChunk()
        {
            var path = Path.Combine(Path.GetTempPath(), $"batchdb-{Guid.NewGuid():N}.csv");
            _files.Add(path);
            return new StreamWriter(new FileStream(path, FileMode.CreateNew, FileAccess.Write, FileShare.Read, 1 << 16, FileOptions.Asynchronous), new UTF8Encoding(false), 1 << 16);
        }

        /// <summary>Closes the chunk being written and loads it once the previous chunk has loaded, without waiting for it.</summary>
        private async Task StartLoadAsync(CancellationToken cancellationToken)
        {
            var path = _files[^1];
            await _chunk!.DisposeAsync().ConfigureAwait(false);
            _chunk = null;
            if (_loading is not null)
            {
                await _loading.ConfigureAwait(false);
            }

            var first = _chunkFirstRow;
            _chunkFirstRow = _rows + 1;
            // MySql.Data's async methods run synchronously; Task.Run lets the next chunk be written meanwhile.
            _loading = Task.Run(async () =>
            {
                try
                {
                    await _session.LoadChunkAsync(_table, _columns, path, first, cancellationToken).ConfigureAwait(false);
                }
                finally
                {
                    File.Delete(path);
                }
            }, cancellationToken);
        }
    }
}

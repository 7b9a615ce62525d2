using System.Data;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;
using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>Reading query results row by row and writing rows through COPY FROM STDIN, for extracts.</summary>
internal sealed partial class PostgreSqlSession
{
    public override async Task<IReadOnlyList<TableColumn>> DescribeColumnsAsync(QualifiedName table, CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            """
            SELECT attname, format_type(atttypid, atttypmod),
                   CASE WHEN atttypid = 'numeric'::regtype AND atttypmod > 0 THEN (atttypmod - 4) & 65535
                        WHEN atttypid IN ('int2'::regtype, 'int4'::regtype, 'int8'::regtype) THEN 0 END
            FROM pg_attribute WHERE attrelid = to_regclass(@p0) AND attnum > 0 AND NOT attisdropped ORDER BY attnum
            """,
            cancellationToken, Quote(table)).ConfigureAwait(false);
        return rows.Select(r => new TableColumn((string)r[0]!, (string)r[1]!, r[2] is null ? null : Convert.ToInt32(r[2], System.Globalization.CultureInfo.InvariantCulture))).ToList();
    }

    public async Task<BulkRowWriter> BeginBulkInsertAsync(QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken)
    {
        var copy = $"COPY {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) FROM STDIN WITH (FORMAT csv)";
        try
        {
            var writer = (NpgsqlCopyTextWriter)await connection.BeginTextImportAsync(copy, cancellationToken).ConfigureAwait(false);
            return new CopyRowWriter(writer, new CsvRowText(columns, string.Empty), table, copy);
        }
        catch (PostgresException ex)
        {
            throw PostgreSqlErrors.Translate(ex, copy, table.ToString());
        }
    }

    public override Task UseUtcAsync(CancellationToken cancellationToken) => ExecuteAsync("SET TimeZone = 'UTC'", cancellationToken);

    public override string QuoteIdentifier(string identifier) => Quote(identifier);

    public string DeleteWithPartner(QualifiedName table, string condition) =>
        $"DELETE FROM {Quote(table)} AS d USING {Quote(table)} AS n WHERE {condition}";

    /// <summary>A COPY into a staging table failed: a data or constraint error names the row (COPY's "line" is the row sent) and column; others translate as usual.</summary>
    private static BatchDbException RejectedRow(PostgresException ex, QualifiedName table, string copy) =>
        ex.SqlState.StartsWith("22", StringComparison.Ordinal) || ex.SqlState.StartsWith("23", StringComparison.Ordinal)
            ? new BatchDbException(ErrorIds.RowsRejected, BatchDbErrorKind.InvalidData,
                $"PostgreSQL rejected a row written to {table} ({ex.Where?.Replace("line", "extracted row", StringComparison.Ordinal)}): {ex.MessageText}", ex, copy)
            { Target = table.ToString() }
            : PostgreSqlErrors.Translate(ex, copy, table.ToString());

    /// <summary>COPY's text stream; the server converts each field to its column's type.</summary>
    private sealed class CopyRowWriter(NpgsqlCopyTextWriter writer, CsvRowText text, QualifiedName table, string copy) : BulkRowWriter
    {
        private long _rows;
        private bool _completed;

        public override async ValueTask WriteRowAsync(object?[] values, CancellationToken cancellationToken)
        {
            _rows++;
            if (text.Append(values))
            {
                await SendAsync(cancellationToken).ConfigureAwait(false);
            }
        }

        private async Task SendAsync(CancellationToken cancellationToken)
        {
            try
            {
                await writer.WriteAsync(text.Batch, cancellationToken).ConfigureAwait(false);
                text.Batch.Clear();
            }
            catch (PostgresException ex)
            {
                throw RejectedRow(ex, table, copy);
            }
            catch (NpgsqlException ex)
            {
                throw PostgreSqlErrors.Translate(ex, copy, table.ToString());
            }
            catch (Exception ex) when (ex is ObjectDisposedException or InvalidOperationException)
            {
                throw PostgreSqlErrors.ConnectionLost(ex, copy);
            }
        }

        public override async Task<long> CompleteAsync(CancellationToken cancellationToken)
        {
            await SendAsync(cancellationToken).ConfigureAwait(false);
            _completed = true;
            try
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }
            catch (PostgresException ex)
            {
                throw RejectedRow(ex, table, copy);
            }

            return _rows;
        }

        public override async ValueTask DisposeAsync()
        {
            if (!_completed)
            {
                _completed = true;
                await CancelCopyAsync(writer).ConfigureAwait(false);
            }
        }
    }
}

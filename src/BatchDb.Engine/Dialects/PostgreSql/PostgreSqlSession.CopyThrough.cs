using System.Globalization;
using BatchDb.Engine.Errors;
using BatchDb.Engine.Extracts;
using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;
using Npgsql;

namespace BatchDb.Engine.Dialects.PostgreSql;

/// <summary>
/// Extracts from PostgreSQL without reading values: into PostgreSQL, COPY (query) TO STDOUT on the source, its bytes
/// written as they come into COPY … FROM STDIN on the target. COPY's text format is made for this round trip, so
/// every type the target column accepts as text comes through exactly; a row ends at each newline byte (one inside a
/// value is escaped). Into another engine, COPY writes CSV with each value converted in the query to the form the
/// other engine's bulk load reads.
/// </summary>
internal sealed partial class PostgreSqlSession : ICopyThroughSession, ICsvExportSession
{
    public string Literal(object value) => value switch
    {
        string text when !text.Contains('\0', StringComparison.Ordinal) => "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'",
        DateTime moment => string.Create(CultureInfo.InvariantCulture, $"'{moment:yyyy-MM-dd HH:mm:ss.ffffff}'"),
        long or int or decimal => string.Create(CultureInfo.InvariantCulture, $"{value}"),
        _ => throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
            $"A {value.GetType().Name} value cannot be written as a PostgreSQL literal."),
    };

    public async Task<long> CopyThroughAsync(DatabaseSession source, string query, QualifiedName table, IReadOnlyList<string> columns, Action<long>? sent,
        CancellationToken cancellationToken)
    {
        var from = (NpgsqlConnection)((PostgreSqlSession)source).Connection;
        var export = $"COPY ({query}) TO STDOUT";
        var import = $"COPY {Quote(table)} ({string.Join(", ", columns.Select(Quote))}) FROM STDIN";
        NpgsqlCopyTextWriter writer;
        try
        {
            writer = (NpgsqlCopyTextWriter)await connection.BeginTextImportAsync(import, cancellationToken).ConfigureAwait(false);
        }
        catch (PostgresException ex)
        {
            throw PostgreSqlErrors.Translate(ex, import, table.ToString());
        }

        long rows = 0;
        var completed = false;
        try
        {
            using (var reader = await RunExportAsync(from, export, cancellationToken).ConfigureAwait(false))
            {
                // Both COPY streams are used raw, as the import of a CSV file does: no characters are decoded or encoded.
                await using var input = new ReadAheadStream(new ExportStream(reader.BaseStream, export), CopyBufferSize);
                var output = writer.BaseStream;
                var buffer = new byte[CopyBufferSize];
                int read;
                while ((read = await input.ReadAsync(buffer, cancellationToken).ConfigureAwait(false)) > 0)
                {
                    await output.WriteAsync(buffer.AsMemory(0, read), cancellationToken).ConfigureAwait(false);
                    rows += buffer.AsSpan(0, read).Count((byte)'\n');
                    sent?.Invoke(rows);
                }
            }

            completed = true;
            await writer.DisposeAsync().ConfigureAwait(false);
            return rows;
        }
        catch (PostgresException ex)
        {
            throw RejectedRow(ex, table, import);
        }
        catch (NpgsqlException ex)
        {
            throw PostgreSqlErrors.Translate(ex, import, table.ToString());
        }
        finally
        {
            if (!completed)
            {
                await CancelCopyAsync(writer).ConfigureAwait(false);
            }
        }
    }

    public async Task<CsvExport?> ExportCsvAsync(string query, string nullMarker, CancellationToken cancellationToken)
    {
        var columns = new List<(string Name, string Type)>();
        await using (var command = new NpgsqlCommand($"SELECT * FROM ({query}) AS batchdb_export", connection))
        {
            await using var reader = await RunAsync(command.CommandText, () => command.ExecuteReaderAsync(System.Data.CommandBehavior.SchemaOnly, cancellationToken)).ConfigureAwait(false);
            for (var i = 0; i < reader.FieldCount; i++)
            {
                columns.Add((reader.GetName(i), reader.GetDataTypeName(i)));
            }
        }

        var values = columns.Select(c => CsvValue($"batchdb_export.{Quote(c.Name)}", c.Type)).ToList();
        if (values.Contains(null) || columns.DistinctBy(c => c.Name).Count() != columns.Count)
        {
            return null;
        }

        // Times are written by their own output function, which gives the form LOAD DATA reads only in the ISO style.
        await ExecuteAsync("SET DateStyle = ISO", cancellationToken).ConfigureAwait(false);
        var export = $"COPY (SELECT {string.Join(", ", values)} FROM ({query}) AS batchdb_export) TO STDOUT (FORMAT csv, NULL {Literal(nullMarker)}, FORCE_QUOTE *)";
        var copy = await RunExportAsync(connection, export, cancellationToken).ConfigureAwait(false);
        return new CsvExport(new ReadAheadStream(new ExportStream(copy.BaseStream, export), CopyBufferSize), copy);
    }

    /// <summary>A column of a given type as the CSV field another engine's bulk load reads back exactly, or null for a type with no such form.</summary>
    private static string? CsvValue(string column, string type) => type switch
    {
        "smallint" or "integer" or "bigint" or "numeric" or "real" or "double precision" or "text" or "character varying" or "character" or "uuid" or "json" or "jsonb"
            => column,
        "boolean" => $"{column}::int",
        "date" => column,
        "timestamp without time zone" => Timestamp(column),
        "timestamp with time zone" => Timestamp($"({column} AT TIME ZONE 'UTC')"),
        _ => null,
    };

    // As CsvRowText writes times: a value at midnight as the date alone, which a DATE column takes without a truncation
    // warning. The output functions cost half of to_char's time; a date before year 1 keeps its " BC", which LOAD DATA refuses.
    private static string Timestamp(string value) =>
        $"CASE WHEN {value} = date_trunc('day', {value}) THEN {value}::date::text ELSE {value}::text END";

    /// <summary>The export's raw bytes; a failure of the source while they are read is translated as the source's error.</summary>
    private sealed class ExportStream(Stream export, string sql) : ReadOnlyStream
    {
        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            try
            {
                return await export.ReadAsync(buffer, cancellationToken).ConfigureAwait(false);
            }
            catch (NpgsqlException ex)
            {
                throw PostgreSqlErrors.Translate(ex, sql);
            }
        }
    }

    private static async Task<NpgsqlCopyTextReader> RunExportAsync(NpgsqlConnection from, string export, CancellationToken cancellationToken)
    {
        try
        {
            return (NpgsqlCopyTextReader)await from.BeginTextExportAsync(export, cancellationToken).ConfigureAwait(false);
        }
        catch (NpgsqlException ex)
        {
            throw PostgreSqlErrors.Translate(ex, export);
        }
    }
}

using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Extracts;

/// <summary>
/// What an extract between two databases of one engine needs to pass the rows through as the source server writes
/// them for COPY, without reading them into values and formatting them again.
/// </summary>
[Capability("passing rows through between two databases of this engine")]
internal interface ICopyThroughSession
{
    /// <summary>A watermark or batch id as a literal of this engine's SQL (COPY takes no parameters).</summary>
    string Literal(object value);

    /// <summary>Streams the rows of <paramref name="query"/> on <paramref name="source"/>, a session of the same engine, into the table's columns, in the current transaction.</summary>
    Task<long> CopyThroughAsync(DatabaseSession source, string query, QualifiedName table, IReadOnlyList<string> columns, Action<long>? sent, CancellationToken cancellationToken);
}

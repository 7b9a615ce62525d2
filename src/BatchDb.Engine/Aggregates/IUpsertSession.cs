using BatchDb.Engine.Naming;
using BatchDb.Engine.Sql;

namespace BatchDb.Engine.Aggregates;

/// <summary>What idempotent aggregates need from a database: upserts that leave unchanged rows alone, and their keys.</summary>
[Capability("daily aggregates")]
internal interface IUpsertSession
{
    /// <summary>Whether the table's primary key or one of its unique indexes has exactly these columns.</summary>
    Task<bool> HasUniqueKeyAsync(QualifiedName table, IReadOnlyList<string> columns, CancellationToken cancellationToken);

    /// <summary>
    /// INSERT … SELECT where a row with the same key is updated instead. A row whose values are all unchanged is
    /// left as it is, and <paramref name="changeStampColumn"/> is set from the new row only where values change.
    /// </summary>
    string UpsertSelect(QualifiedName table, IReadOnlyList<string> columns, string select, IReadOnlyList<string> keyColumns,
        IReadOnlyList<string> valueColumns, string? changeStampColumn);

    /// <summary>Whether an upsert's changed-row count includes rows that matched and were left unchanged (MySQL's found rows).</summary>
    bool UpsertCountsUnchangedRows { get; }

    /// <summary>Equality under which NULL equals NULL.</summary>
    string NullSafeEquals(string left, string right);

    /// <summary>The start of a DELETE whose table is referred to by an alias in its WHERE clause.</summary>
    string DeleteFromAliased(QualifiedName table, string alias);
}

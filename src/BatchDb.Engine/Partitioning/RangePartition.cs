namespace BatchDb.Engine.Partitioning;

/// <summary>
/// A RANGE partition on a date or timestamp key: rows with From ≤ key &lt; To (null: unbounded on that side; both
/// null for PostgreSQL's DEFAULT partition). Rows is the catalog's estimate, when it has one.
/// </summary>
internal sealed record RangePartition(string Name, DateTime? From, DateTime? To, bool IsDefault, long? Rows);

namespace BatchDb.Engine.Sql;

/// <summary>A table column as the catalog describes it; <see cref="Scale"/> is set for exact numeric types.</summary>
internal sealed record TableColumn(string Name, string DataType, int? Scale);

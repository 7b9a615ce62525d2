namespace BatchDb.Engine.Cdc;

/// <summary>A captured table as the change stream describes it (Id is the source's relation id): its columns in row order and which of them identify a row.</summary>
internal sealed record CapturedRelation(uint Id, string Schema, string Name, IReadOnlyList<string> Columns, IReadOnlyList<bool> IsKey)
{
    public IReadOnlyList<string> KeyColumns => Columns.Where((_, i) => IsKey[i]).ToList();

    public override string ToString() => $"{Schema}.{Name}";
}

namespace BatchDb.Engine.Switching;

/// <summary>
/// One way the work table's definition differs from the partitioned table's, which would make the
/// exchange fail: <see cref="Aspect"/> is column, index, table option or foreign key.
/// </summary>
public sealed record DefinitionDifference(string Aspect, string Name, string? Live, string? Work)
{
    public override string ToString() => (Live, Work) switch
    {
        (null, _) => $"{Aspect} {Name}: only in the work table ({Work})",
        (_, null) => $"{Aspect} {Name}: missing from the work table (live table has {Live})",
        _ => $"{Aspect} {Name}: live table has {Live}, work table has {Work}",
    };
}

using BatchDb.Engine.Errors;

namespace BatchDb.Engine.Cdc;

/// <summary>A capture's name and the server objects named after it: the slot and the publication, both batchdb_&lt;name&gt;.</summary>
internal sealed record CaptureNames(string Name)
{
    private const int MaxLength = 50;

    public string Slot => $"batchdb_{Name}";

    public string Publication => $"batchdb_{Name}";

    /// <summary>Slot names allow lower-case letters, digits and underscores; the name is checked before anything is sent.</summary>
    public static CaptureNames Parse(string name)
    {
        if (name.Length is 0 or > MaxLength || !name.All(c => c is >= 'a' and <= 'z' or >= '0' and <= '9' or '_'))
        {
            throw new BatchDbException(ErrorIds.InvalidArgument, BatchDbErrorKind.InvalidArgument,
                $"'{name}' is not a capture name: use 1 to {MaxLength} lower-case letters, digits and underscores (it names a replication slot).")
            { Target = name };
        }

        return new CaptureNames(name);
    }
}

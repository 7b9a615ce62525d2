namespace BatchDb.Engine.Sql;

/// <summary>
/// Marks an interface a feature declares for what it needs from a database; dialects' sessions implement it, and
/// <see cref="DatabaseSession.Require{TCapability}"/> names <see cref="Description"/> when an engine does not.
/// </summary>
[AttributeUsage(AttributeTargets.Interface, Inherited = false)]
internal sealed class CapabilityAttribute(string description) : Attribute
{
    /// <summary>What the capability does, as the subject of "… is not supported on PostgreSQL".</summary>
    public string Description { get; } = description;

    public static string Describe(Type capability)
    {
        var description = ((CapabilityAttribute?)GetCustomAttribute(capability, typeof(CapabilityAttribute)))?.Description ?? capability.Name;
        return char.ToUpperInvariant(description[0]) + description[1..];
    }
}

using BatchDb.Engine.Naming;

namespace BatchDb.Engine.Switching;

/// <summary>Default names of the off-screen tables, shortened with a hash when too long for an identifier.</summary>
internal static class WorkTableNaming
{
    /// <summary><c>&lt;table&gt;_work</c>: a whole table's work table.</summary>
    public static string ForTable(string table) => QualifiedName.Derived(table, "work");

    /// <summary>
    /// <c>&lt;table&gt;_&lt;partition&gt;</c>, or <c>&lt;partition&gt;_work</c> when the partition's name already starts
    /// with the table's (PostgreSQL partition tables such as t_stock_p_s01), so the table's name is not doubled.
    /// </summary>
    public static string ForPartition(string table, string partition) =>
        partition.StartsWith(table + "_", StringComparison.OrdinalIgnoreCase) ? QualifiedName.Derived(partition, "work") : QualifiedName.Derived(table, partition);

    /// <summary>A view switch's two sides: <c>&lt;table&gt;_a</c> and <c>&lt;table&gt;_b</c>, upper case for an upper-case name.</summary>
    public static (string Live, string Standby) ViewSides(string table)
    {
        var upper = !table.Any(char.IsLower);
        return (QualifiedName.Derived(table, upper ? "A" : "a"), QualifiedName.Derived(table, upper ? "B" : "b"));
    }
}

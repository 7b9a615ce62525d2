using System.Security.Cryptography;
using System.Text;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.WorkTables;

/// <summary>Default names of the off-screen tables, shortened with a hash when too long for an identifier.</summary>
internal static class WorkTableNaming
{
    /// <summary><c>&lt;table&gt;_work</c>: a whole table's work table.</summary>
    public static string ForTable(string table) => Shorten($"{table}_work");

    /// <summary>
    /// <c>&lt;table&gt;_&lt;partition&gt;</c>, or <c>&lt;partition&gt;_work</c> when the partition's name already starts
    /// with the table's (PostgreSQL partition tables such as t_stock_p_s01), so the table's name is not doubled.
    /// </summary>
    public static string ForPartition(string table, string partition) =>
        Shorten(partition.StartsWith(table + "_", StringComparison.OrdinalIgnoreCase) ? $"{partition}_work" : $"{table}_{partition}");

    /// <summary>A view switch's two sides: <c>&lt;table&gt;_a</c> and <c>&lt;table&gt;_b</c>, upper case for an upper-case name.</summary>
    public static (string Live, string Standby) ViewSides(string table)
    {
        var upper = !table.Any(char.IsLower);
        return (Shorten($"{table}_{(upper ? "A" : "a")}"), Shorten($"{table}_{(upper ? "B" : "b")}"));
    }

    private static string Shorten(string name)
    {
        if (name.Length <= QualifiedName.MaxPartLength)
        {
            return name;
        }

        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8].ToLowerInvariant();
        return $"{name[..(QualifiedName.MaxPartLength - 9)]}_{hash}";
    }
}

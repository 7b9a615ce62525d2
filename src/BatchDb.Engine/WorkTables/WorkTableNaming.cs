using System.Security.Cryptography;
using System.Text;
using BatchDb.Engine.Naming;

namespace BatchDb.Engine.WorkTables;

/// <summary>The default work table name: <c>&lt;table&gt;_&lt;partition&gt;</c>, shortened with a hash when too long.</summary>
internal static class WorkTableNaming
{
    /// <summary>Validates a requested work table name up front, before any session is opened.</summary>
    public static QualifiedName? Parse(string? workTable) => workTable is null ? null : QualifiedName.Parse(workTable, "work table");

    public static QualifiedName Resolve(QualifiedName table, string partition, QualifiedName? workTable)
    {
        if (workTable is not null)
        {
            return workTable.Schema is null && table.Schema is not null ? table.WithName(workTable.Name) : workTable;
        }

        var name = $"{table.Name}_{partition}";
        if (name.Length > QualifiedName.MaxPartLength)
        {
            var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(name)))[..8].ToLowerInvariant();
            name = $"{name[..(QualifiedName.MaxPartLength - 9)]}_{hash}";
        }

        return table.WithName(name);
    }
}

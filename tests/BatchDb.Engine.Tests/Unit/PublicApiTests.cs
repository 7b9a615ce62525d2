using System.Reflection;
using BatchDb.Engine.Connections;

namespace BatchDb.Engine.Tests.Unit;

/// <summary>
/// The engine is public only where PowerShell shows it (output records, enums, exceptions); everything else is
/// internal to the module. Its public surface is recorded in PublicApi.txt: a change to it is a deliberate edit there.
/// </summary>
public sealed class PublicApiTests
{
    [Fact]
    public void The_public_surface_is_the_recorded_one()
    {
        var recorded = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Unit", "PublicApi.txt"));
        var actual = Describe(typeof(BatchDbConnection).Assembly);
        Assert.True(recorded.SequenceEqual(actual),
            $"The engine's public surface changed; if that is intended, replace tests/BatchDb.Engine.Tests/Unit/PublicApi.txt with:{Environment.NewLine}{string.Join(Environment.NewLine, actual)}");
    }

    private static List<string> Describe(Assembly assembly)
    {
        const BindingFlags declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes().OrderBy(t => t.FullName, StringComparer.Ordinal))
        {
            lines.Add($"{(type.IsEnum ? "enum" : type.IsValueType ? "struct" : type.IsInterface ? "interface" : "class")} {type.FullName} : {type.BaseType?.FullName}");
            lines.AddRange(type.GetMembers(declared)
                .Where(m => !m.Name.StartsWith('<') && m is not MethodInfo { IsSpecialName: true } && m.Name != "value__")
                .Select(m => $"  {m.MemberType} {m}")
                .Order(StringComparer.Ordinal));
        }

        return lines;
    }
}

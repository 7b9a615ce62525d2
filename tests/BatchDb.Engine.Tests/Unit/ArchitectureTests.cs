using System.Text.RegularExpressions;

namespace BatchDb.Engine.Tests.Unit;

/// <summary>
/// The engine's folders are layers (docs/architecture.md): each uses only the ones before it in <see cref="Layers"/>.
/// Features declare what they need from a database as capability interfaces; the dialects, next to last, implement
/// them; only the composition root (the files directly in src/BatchDb.Engine) names the dialects.
/// </summary>
public sealed partial class ArchitectureTests
{
    private static readonly string[] Layers =
    [
        "Errors", "Naming", "Diagnostics", "Retries", "Calendar", "Csv",
        "Sql",
        "Connections",
        "Executions", "Schedules", "Partitioning", "Switching", "WorkTables", "ViewSwitching", "Aggregates", "Extracts", "Cdc", "Access", "Backups", "Catalog",
        "Dialects",
    ];

    private static string EngineSource()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            var source = Path.Combine(directory.FullName, "src", "BatchDb.Engine");
            if (Directory.Exists(source))
            {
                return source;
            }
        }

        throw new DirectoryNotFoundException($"src/BatchDb.Engine was not found above {AppContext.BaseDirectory}.");
    }

    private static IEnumerable<(string Folder, string File, string Text)> SourceFiles(string root) =>
        Directory.EnumerateFiles(root, "*.cs", SearchOption.AllDirectories)
            .Select(file => (Relative: Path.GetRelativePath(root, file), File: file))
            .Where(f => !f.Relative.StartsWith("obj", StringComparison.Ordinal) && !f.Relative.StartsWith("bin", StringComparison.Ordinal))
            .Select(f => (Folder: f.Relative.Contains(Path.DirectorySeparatorChar) ? f.Relative[..f.Relative.IndexOf(Path.DirectorySeparatorChar)] : string.Empty,
                f.Relative, File.ReadAllText(f.File)));

    /// <summary>The engine folders a file names: in using directives, qualified names, or names relative to the engine's namespace.</summary>
    private static IEnumerable<string> FoldersUsedBy(string text) =>
        FolderReference().Matches(text).Select(m => m.Groups["folder"].Value).Where(Layers.Contains).Distinct();

    [GeneratedRegex(@"\bBatchDb\.Engine\.(?<folder>[A-Z][A-Za-z]+)\b|(?<![\w.])(?<folder>[A-Z][A-Za-z]+)\.[A-Z]")]
    private static partial Regex FolderReference();

    [Fact]
    public void Every_engine_folder_is_a_layer()
    {
        var folders = Directory.EnumerateDirectories(EngineSource()).Select(Path.GetFileName).Where(f => f is not ("bin" or "obj")).Order(StringComparer.Ordinal);
        Assert.Equal(Layers.Order(StringComparer.Ordinal), folders);
    }

    [Fact]
    public void Each_layer_uses_only_the_layers_before_it()
    {
        var violations = SourceFiles(EngineSource())
            .Where(f => f.Folder.Length > 0)
            .SelectMany(f => FoldersUsedBy(f.Text)
                .Where(used => Array.IndexOf(Layers, used) > Array.IndexOf(Layers, f.Folder))
                .Select(used => $"{f.File} uses {used}, a later layer than {f.Folder}"))
            .ToList();
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void Only_the_composition_root_names_the_engines()
    {
        var root = EngineSource();
        var rootTypes = SourceFiles(root).Where(f => f.Folder.Length == 0)
            .SelectMany(f => Regex.Matches(f.Text, @"\b(?:class|record|interface|enum)\s+(\w+)").Select(m => m.Groups[1].Value))
            .ToList();
        Assert.Contains("DatabaseEngines", rootTypes);
        var violations = SourceFiles(root).Where(f => f.Folder.Length > 0)
            .SelectMany(f => rootTypes.Where(t => Regex.IsMatch(f.Text, $@"\b{t}\b")).Select(t => $"{f.File} uses {t} of the composition root"))
            .ToList();
        Assert.True(violations.Count == 0, string.Join(Environment.NewLine, violations));
    }

    [Fact]
    public void The_layer_check_sees_a_reference_to_a_later_layer()
    {
        Assert.Equal(["Dialects", "Switching"], FoldersUsedBy("using BatchDb.Engine.Dialects;\nvar s = Switching.SwapTarget.Parse(t, null, null);"));
        Assert.Empty(FoldersUsedBy("var s = request.Switching.Count; // Dialects are named elsewhere"));
    }
}

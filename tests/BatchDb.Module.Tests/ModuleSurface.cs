using System.Reflection;
using System.Runtime.InteropServices;
using System.Text.RegularExpressions;

namespace BatchDb.Module.Tests;

/// <summary>
/// The compiled cmdlets of BatchDb.dll read with MetadataLoadContext: no PowerShell is loaded or needed,
/// and System.Management.Automation comes from PowerShellStandard.Library's reference assembly.
/// </summary>
internal sealed partial class ModuleSurface
{
    private static readonly Lazy<ModuleSurface> Instance = new(() => new ModuleSurface());
    private readonly MetadataLoadContext _context;

    private ModuleSurface()
    {
        var baseDirectory = AppContext.BaseDirectory;
        var paths = Directory.GetFiles(RuntimeEnvironment.GetRuntimeDirectory(), "*.dll")
            .Concat(Directory.GetFiles(baseDirectory, "*.dll").Where(p => Path.GetFileName(p) != "System.Management.Automation.dll"))
            .Append(Path.Combine(baseDirectory, "sma", "System.Management.Automation.dll"));
        _context = new MetadataLoadContext(new PathAssemblyResolver(paths));
        Module = _context.LoadFromAssemblyPath(Path.Combine(baseDirectory, "BatchDb.dll"));
        var sma = _context.LoadFromAssemblyName("System.Management.Automation");
        CmdletAttribute = sma.GetType("System.Management.Automation.CmdletAttribute", true)!;
        ParameterAttribute = sma.GetType("System.Management.Automation.ParameterAttribute", true)!;
        OutputTypeAttribute = sma.GetType("System.Management.Automation.OutputTypeAttribute", true)!;
        ApprovedVerbs = new[] { "VerbsCommon", "VerbsCommunications", "VerbsData", "VerbsDiagnostic", "VerbsLifecycle", "VerbsOther", "VerbsSecurity" }
            .SelectMany(t => sma.GetType($"System.Management.Automation.{t}", true)!.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Select(f => (string)f.GetRawConstantValue()!)
            .ToHashSet(StringComparer.Ordinal);
        Cmdlets = Module.GetTypes()
            .Where(t => t.IsPublic && !t.IsAbstract && t.CustomAttributes.Any(a => a.AttributeType == CmdletAttribute))
            .Select(t => new CmdletInfo(this, t))
            .OrderBy(c => c.Name, StringComparer.Ordinal)
            .ToList();
    }

    public static ModuleSurface Load() => Instance.Value;

    public Assembly Module { get; }

    public Type CmdletAttribute { get; }

    public Type ParameterAttribute { get; }

    public Type OutputTypeAttribute { get; }

    public IReadOnlySet<string> ApprovedVerbs { get; }

    public IReadOnlyList<CmdletInfo> Cmdlets { get; }

    public CmdletInfo Cmdlet(string name) => Cmdlets.Single(c => c.Name == name);

    public static string ModuleFile(string name) => Path.Combine(AppContext.BaseDirectory, "module", name);

    public static string DocsPage(string name) => Path.Combine(AppContext.BaseDirectory, "docs", name);

    /// <summary>The names in the manifest's CmdletsToExport list.</summary>
    public static IReadOnlyList<string> ManifestCmdlets()
    {
        var manifest = File.ReadAllText(ModuleFile("BatchDb.psd1"));
        var block = CmdletsToExportPattern().Match(manifest);
        Assert.True(block.Success, "BatchDb.psd1 has no CmdletsToExport = @( … ) list");
        return QuotedPattern().Matches(block.Groups[1].Value).Select(m => m.Groups[1].Value).ToList();
    }

    [GeneratedRegex(@"CmdletsToExport\s*=\s*@\(([^)]*)\)")]
    private static partial Regex CmdletsToExportPattern();

    [GeneratedRegex("'([^']+)'")]
    private static partial Regex QuotedPattern();
}

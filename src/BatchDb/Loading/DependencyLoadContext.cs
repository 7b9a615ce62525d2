using System.Reflection;
using System.Runtime.Loader;

namespace BatchDb.Loading;

/// <summary>
/// The load context of BatchDb.Engine and the drivers it uses (Npgsql, MySqlConnector and their dependencies), all
/// shipped in the module's Dependencies folder. Another module's Npgsql or MySqlConnector in the default context,
/// whichever version and whichever module loads first, neither breaks BatchDb nor is broken by it.
/// </summary>
internal sealed class DependencyLoadContext : AssemblyLoadContext
{
    private const string EngineName = "BatchDb.Engine";
    private static readonly object Gate = new();
    private static DependencyLoadContext? _instance;

    private readonly string _folder;

    private DependencyLoadContext(string folder)
        : base("BatchDb")
    {
        _folder = folder;
    }

    /// <summary>Lets the default context find BatchDb.Engine here; once per process, however many runspaces import the module.</summary>
    public static void Register()
    {
        lock (Gate)
        {
            if (_instance is not null)
            {
                return;
            }

            var moduleFolder = Path.GetDirectoryName(typeof(DependencyLoadContext).Assembly.Location)!;
            _instance = new DependencyLoadContext(Path.Combine(moduleFolder, "Dependencies"));
            Default.Resolving += ResolveEngine;
        }
    }

    private static Assembly? ResolveEngine(AssemblyLoadContext context, AssemblyName name) =>
        name.Name == EngineName ? _instance!.LoadFromAssemblyName(name) : null;

    /// <summary>What the Dependencies folder holds comes from it; the runtime and PowerShell come from the default context.</summary>
    protected override Assembly? Load(AssemblyName assemblyName)
    {
        var path = Path.Combine(_folder, assemblyName.Name + ".dll");
        return File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}

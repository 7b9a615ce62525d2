using System.Management.Automation;
using BatchDb.Loading;

namespace BatchDb;

/// <summary>Runs when the module is imported: BatchDb.Engine and the drivers load into BatchDb's own context.</summary>
public sealed class ModuleInitializer : IModuleAssemblyInitializer
{
    public void OnImport() => DependencyLoadContext.Register();
}

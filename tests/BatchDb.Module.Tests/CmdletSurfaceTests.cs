using System.Xml.Linq;

namespace BatchDb.Module.Tests;

/// <summary>What every exported cmdlet must declare, checked on the compiled assembly.</summary>
public sealed class CmdletSurfaceTests
{
    // Verbs whose cmdlets change data or database objects: they must support -WhatIf and -Confirm.
    private static readonly HashSet<string> ChangingVerbs =
        ["New", "Set", "Remove", "Add", "Clear", "Import", "Switch", "Copy", "Initialize", "Register", "Unregister", "Reset", "Update", "Move", "Rename", "Invoke", "Start", "Complete", "Enable", "Disable"];

    private static ModuleSurface Surface => ModuleSurface.Load();

    public static TheoryData<string> CmdletNames() => new(ModuleSurface.Load().Cmdlets.Select(c => c.Name));

    [Fact]
    public void The_manifest_exports_exactly_the_compiled_cmdlets() =>
        Assert.Equal(Surface.Cmdlets.Select(c => c.Name).Order(), ModuleSurface.ManifestCmdlets().Order());

    [Fact]
    public void No_public_type_needs_the_engine_to_be_laid_out()
    {
        // PowerShell lists BatchDb.dll's public types before the engine's load context is registered.
        var fields = Surface.Module.GetTypes().Where(t => t.IsPublic)
            .SelectMany(t => t.GetFields(System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Static | System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.DeclaredOnly))
            .Where(f => f.FieldType.IsValueType && (Nullable.GetUnderlyingType(f.FieldType) ?? f.FieldType).Assembly.GetName().Name == "BatchDb.Engine")
            .Select(f => $"{f.DeclaringType!.Name}.{f.Name}");
        Assert.Empty(fields);
    }

    [Fact]
    public void The_module_has_the_double_buffering_cmdlets() =>
        Assert.Superset(
            new HashSet<string>
            {
                "Connect-BatchDb", "Disconnect-BatchDb", "Get-BatchDbConnection", "New-WorkTable", "Import-WorkTable", "Switch-Partition",
                "Switch-Table", "Enable-ViewSwitch",
            },
            Surface.Cmdlets.Select(c => c.Name).ToHashSet());

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Uses_an_approved_verb(string name) =>
        Assert.Contains(Surface.Cmdlet(name).Verb, Surface.ApprovedVerbs);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Declares_its_output_type(string name) =>
        Assert.NotEmpty(Surface.Cmdlet(name).OutputTypes);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Supports_should_process_when_it_changes_data(string name)
    {
        var cmdlet = Surface.Cmdlet(name);
        if (ChangingVerbs.Contains(cmdlet.Verb))
        {
            Assert.True(cmdlet.SupportsShouldProcess, $"{name} changes data but does not support -WhatIf/-Confirm");
        }
    }

    [Theory]
    [InlineData("Switch-Partition")]
    [InlineData("Switch-Table")]
    [InlineData("Enable-ViewSwitch")]
    public void Swaps_ask_for_confirmation_by_default(string name) =>
        Assert.Equal(3, Surface.Cmdlet(name).ConfirmImpact);

    [Theory]
    [MemberData(nameof(CmdletNames))]
    public void Every_output_type_has_a_table_view(string name)
    {
        var format = XDocument.Load(ModuleSurface.ModuleFile("BatchDb.Format.ps1xml"));
        var viewed = format.Descendants("ViewSelectedBy").Elements("TypeName").Select(e => e.Value).ToHashSet();
        // Invoke-BatchJob passes on its script block's output (PSObject) and Select-BatchShare its input (Object), which are
        // theirs to format; -Quiet answers a bool.
        foreach (var type in Surface.Cmdlet(name).OutputTypes.Where(t => t.FullName is not ("System.Void" or "System.Management.Automation.PSObject" or "System.Object" or "System.Boolean")))
        {
            Assert.Contains(type.FullName!, viewed);
            var view = format.Descendants("View").Single(v => v.Element("ViewSelectedBy")!.Element("TypeName")!.Value == type.FullName);
            foreach (var property in view.Descendants("PropertyName").Select(p => p.Value))
            {
                Assert.True(type.GetProperty(property) is not null, $"the view of {type.Name} shows {property}, which it does not have");
            }
        }
    }

    [Fact]
    public void Import_work_table_output_binds_every_mandatory_parameter_of_switch_partition()
    {
        var output = Assert.Single(Surface.Cmdlet("Import-WorkTable").OutputTypes);
        var switchPartition = Surface.Cmdlet("Switch-Partition");
        foreach (var parameter in switchPartition.Parameters.Where(p => p.Mandatory))
        {
            Assert.True(parameter.FromPipelineByPropertyName, $"Switch-Partition -{parameter.Name} does not bind by property name");
            Assert.True(output.GetProperty(parameter.Name) is not null, $"{output.Name} has no {parameter.Name} property for Switch-Partition");
        }

        foreach (var name in new[] { "WorkTable", "Connection" })
        {
            Assert.True(switchPartition.Parameter(name).FromPipelineByPropertyName);
            Assert.NotNull(output.GetProperty(name));
        }
    }

    [Theory]
    [InlineData("Import-WorkTable", "Switch-Table")]
    [InlineData("Enable-ViewSwitch", "Import-WorkTable")]
    [InlineData("Enable-ViewSwitch", "Switch-Table")]
    public void Whole_table_outputs_bind_the_next_cmdlet(string producer, string consumer)
    {
        var output = Assert.Single(Surface.Cmdlet(producer).OutputTypes);
        var next = Surface.Cmdlet(consumer);
        foreach (var parameter in next.Parameters.Where(p => p.Mandatory && p.Name is not ("Path" or "LiteralPath")))
        {
            Assert.True(parameter.FromPipelineByPropertyName, $"{consumer} -{parameter.Name} does not bind by property name");
            Assert.True(output.GetProperty(parameter.Name) is not null, $"{output.Name} has no {parameter.Name} property for {consumer}");
        }

        foreach (var name in new[] { "WorkTable", "Connection" })
        {
            Assert.True(next.Parameter(name).FromPipelineByPropertyName);
            Assert.NotNull(output.GetProperty(name));
        }
    }

    [Fact]
    public void New_work_table_output_binds_import_work_table()
    {
        var output = Assert.Single(Surface.Cmdlet("New-WorkTable").OutputTypes);
        var import = Surface.Cmdlet("Import-WorkTable");
        foreach (var name in new[] { "Table", "Partition", "WorkTable", "Connection" })
        {
            Assert.True(import.Parameter(name).FromPipelineByPropertyName);
            Assert.NotNull(output.GetProperty(name));
        }
    }

    [Fact]
    public void The_module_has_the_execution_ledger_cmdlets() =>
        Assert.Superset(
            new HashSet<string>
            {
                "Initialize-BatchSchema", "Start-BatchExecution", "Complete-BatchExecution", "Invoke-BatchJob", "Get-BatchExecution",
                "Get-BatchStatistic", "Register-BatchSchedule", "Get-BatchSchedule",
            },
            Surface.Cmdlets.Select(c => c.Name).ToHashSet());

    [Theory]
    [InlineData("New-WorkTable")]
    [InlineData("Import-WorkTable")]
    [InlineData("Switch-Partition")]
    [InlineData("Switch-Table")]
    [InlineData("Enable-ViewSwitch")]
    [InlineData("Copy-BatchData")]
    [InlineData("Invoke-DailyAggregate")]
    [InlineData("New-MonthlyPartition")]
    [InlineData("Remove-MonthlyPartition")]
    public void Data_changing_cmdlets_take_a_batch_name_for_the_ledger(string name)
    {
        var parameter = Surface.Cmdlet(name).Parameter("BatchName");
        Assert.False(parameter.Mandatory);
    }

    [Theory]
    [InlineData("Start-BatchExecution", "Complete-BatchExecution")]
    [InlineData("Get-BatchExecution", "Complete-BatchExecution")]
    [InlineData("Get-BatchExecution", "Get-BatchExecution")]
    [InlineData("Get-BatchSchedule", "Invoke-BatchJob")]
    [InlineData("Get-BatchSchedule", "Start-BatchExecution")]
    [InlineData("Get-BatchStatistic", "Get-BatchStatistic")]
    [InlineData("Get-MonthlyPartition", "New-MonthlyPartition")]
    [InlineData("Get-MonthlyPartition", "Get-MonthlyPartition")]
    public void Ledger_outputs_bind_the_next_cmdlet(string producer, string consumer)
    {
        var output = Surface.Cmdlet(producer).OutputTypes.Single(t => t.Namespace!.StartsWith("BatchDb", StringComparison.Ordinal));
        var next = Surface.Cmdlet(consumer);
        var bound = next.Parameters.Where(p => p.FromPipelineByPropertyName && (output.GetProperty(p.Name) is not null || p.Aliases.Any(a => output.GetProperty(a) is not null)))
            .Select(p => p.Name).ToList();
        Assert.Contains("Connection", bound);
        foreach (var parameter in next.Parameters.Where(p => p.Mandatory && p.Name != "ScriptBlock"))
        {
            Assert.Contains(parameter.Name, bound);
        }
    }

    [Fact]
    public void A_copy_result_binds_its_staging_table_and_destination_to_the_daily_aggregate()
    {
        var output = Assert.Single(Surface.Cmdlet("Copy-BatchData").OutputTypes);
        var aggregate = Surface.Cmdlet("Invoke-DailyAggregate");
        Assert.True(aggregate.Parameter("SourceTable").FromPipelineByPropertyName);
        Assert.Contains("Table", aggregate.Parameter("SourceTable").Aliases);
        Assert.NotNull(output.GetProperty("Table"));
        Assert.True(aggregate.Parameter("Connection").FromPipelineByPropertyName);
        Assert.NotNull(output.GetProperty("Connection"));
        Assert.DoesNotContain(aggregate.Parameters, p => p.Name == "Table");
    }

    [Fact]
    public void Invoke_batch_job_takes_the_schedule_timeout_from_the_pipeline() =>
        Assert.True(Surface.Cmdlet("Invoke-BatchJob").Parameter("Timeout").FromPipelineByPropertyName);

    [Fact]
    public void No_output_type_exposes_a_password_or_connection_string()
    {
        foreach (var type in Surface.Cmdlets.SelectMany(c => c.OutputTypes).Distinct())
        {
            Assert.DoesNotContain(type.GetProperties(), p => p.Name.Contains("Password", StringComparison.OrdinalIgnoreCase)
                || p.Name.Contains("ConnectionString", StringComparison.OrdinalIgnoreCase));
        }
    }
}

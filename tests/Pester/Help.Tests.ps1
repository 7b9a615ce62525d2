# Get-Help answers for every cmdlet from the MAML built out of docs/: synopsis, description, every docs example, every parameter.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
    $commands = @((Get-Module BatchDb).ExportedCmdlets.Keys | Sort-Object)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
    $docs = Join-Path $PSScriptRoot '../../docs'
    $common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'Get-Help <_>' -ForEach $commands {
    BeforeAll {
        $name = $_
        $help = Get-Help $name -Full
        $page = (Get-Content (Join-Path $docs "$name.md") -Raw) -replace "`r`n", "`n"
    }

    It 'has the synopsis and description of its docs page' {
        $synopsis = ([regex]::Match($page, '(?s)## SYNOPSIS\n(.*?)\n\n')).Groups[1].Value.Trim()
        $help.Synopsis | Should -Be ($synopsis -replace '`', '')
        ($help.description.Text -join ' ').Length | Should -BeGreaterThan 80
    }

    It 'shows every example of its docs page, code and remarks' {
        $codes = [regex]::Matches($page, '(?s)### Example \d+[^\n]*\n```powershell\n(.*?)\n```') | ForEach-Object { $_.Groups[1].Value }
        $examples = @((Get-Help $name -Examples).examples.example)
        $examples.Count | Should -Be $codes.Count
        for ($i = 0; $i -lt $codes.Count; $i++) {
            $examples[$i].code | Should -Be $codes[$i]
            ($examples[$i].remarks.Text -join '').Trim() | Should -Not -BeNullOrEmpty
        }
        (Get-Help $name -Examples | Out-String -Width 200) | Should -Match ([regex]::Escape(($codes[0] -split "`n")[0]))
    }

    It 'describes every parameter with its type, position and pipeline input' {
        $command = Get-Command $name
        foreach ($parameter in $command.Parameters.Values | Where-Object Name -NotIn $common) {
            $parameterHelp = Get-Help $name -Parameter $parameter.Name
            ($parameterHelp.description.Text -join ' ').Length | Should -BeGreaterThan 10 -Because "-$($parameter.Name) needs a description"
            $parameterHelp.type.name | Should -Be $parameter.ParameterType.FullName
            $mandatory = @($parameter.ParameterSets.Values.IsMandatory) -contains $true
            $parameterHelp.required | Should -Be "$mandatory".ToLowerInvariant()
            $attributes = @($parameter.Attributes | Where-Object { $_ -is [System.Management.Automation.ParameterAttribute] })
            $by = @(if ($attributes.ValueFromPipeline -contains $true) { 'ByValue' }; if ($attributes.ValueFromPipelineByPropertyName -contains $true) { 'ByPropertyName' })
            $parameterHelp.pipelineInput | Should -Be $(if ($by) { "True ($($by -join ', '))" } else { 'False' }) -Because "-$($parameter.Name) binds from the pipeline as the help says"
        }
    }

    It 'names its output type' {
        $expected = @((Get-Command $name).OutputType.Name | Where-Object { $_ -ne 'System.Void' })
        $shown = @($help.returnValues.returnValue.type.name | Where-Object { $_ -ne 'None' })
        $shown | Should -Be $expected
    }
}

Describe 'about_BatchDb' {
    It 'is shown by Get-Help' {
        $text = Get-Help about_BatchDb | Out-String
        $text | Should -Match 'double buffering'
        $text | Should -Match 'Switch-Partition'
    }

    It 'lists every cmdlet' {
        $text = Get-Help about_BatchDb | Out-String
        foreach ($name in (Get-Module BatchDb).ExportedCmdlets.Keys) { $text | Should -Match "(?m)^\| $([regex]::Escape($name)) \|" }
    }
}

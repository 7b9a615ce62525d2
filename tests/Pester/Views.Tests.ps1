# Every output type's default table view fits 120 columns: one header line, no line longer than the width,
# durations rounded to the millisecond.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $formatFile = Join-Path $PSScriptRoot '../../src/BatchDb/BatchDb.Format.ps1xml'
    $types = @(([xml](Get-Content $formatFile)).Configuration.ViewDefinitions.View.ViewSelectedBy.TypeName)
    $engine = @(Get-TestEngine)[0]
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
    $connection = Connect-TestServer (@(Get-TestEngine)[0]) -Name 'a-connection-name'

    # A value of the parameter's type, as wide as real ones get.
    function New-SampleValue([type] $type, [string] $name) {
        $underlying = [Nullable]::GetUnderlyingType($type)
        if ($underlying) { $type = $underlying }
        switch ($type) {
            ([string]) { if ($name -match 'Path') { '/var/batch/incoming/T_STOCK_S01_2026-11-30.csv' } else { 'warehouse_stock_levels_by_item_2026' } }
            ([long]) { [long]1234567890 }
            ([int]) { 12345 }
            ([bool]) { $true }
            ([timespan]) { [timespan]::new(0, 0, 1, 2, 345).Add([timespan]::FromTicks(6789)) }
            ([datetimeoffset]) { [datetimeoffset]'2026-11-30T03:04:05+09:00' }
            ([datetime]) { [datetime]'2026-11-30T03:04:05' }
            ([object]) { [datetime]'2026-11-30T03:04:05.123456' }
            default {
                if ($type -eq $connection.GetType()) { $connection }
                elseif ($type.IsEnum) { [enum]::GetValues($type)[0] }
                elseif ($type.Name -like 'IReadOnlyList*' -and $type.GetGenericArguments()[0].IsEnum) {
                    $values = [enum]::GetValues($type.GetGenericArguments()[0])
                    $list = [Array]::CreateInstance($type.GetGenericArguments()[0], $values.Count)
                    $values.CopyTo($list, 0)
                    , $list
                }
                elseif ($type.Name -like 'IReadOnlyList*') { , [string[]]@('GRANT SELECT, INSERT, UPDATE ON TABLE batch.batch_executions, batch.batch_schedule TO batch_processor') }
                else { throw "No sample for $type" }
            }
        }
    }
}

Describe 'The table view of <_>' -ForEach $types {
    BeforeAll {
        $type = $connection.GetType().Assembly.GetType($_)
        $constructor = $type.GetConstructors() | Sort-Object { $_.GetParameters().Count } -Descending | Select-Object -First 1
        $sample = $connection
        if ($type -ne $connection.GetType()) {
            $arguments = [Collections.Generic.List[object]]::new()
            foreach ($parameter in $constructor.GetParameters()) { $arguments.Add((New-SampleValue $parameter.ParameterType $parameter.Name).psobject.BaseObject) }
            $sample = $constructor.Invoke($arguments.ToArray())
        }
        $lines = @(($sample, $sample | Format-Table | Out-String -Width 120) -split "`r?`n" | Where-Object { $_.Trim() })
    }

    It 'has one header line above the dashes' {
        $dashes = [array]::FindIndex([string[]]$lines, [Predicate[string]] { param($l) $l -match '^-+( +-+)*\s*$' -or $l.TrimStart() -match '^-{2,}' })
        $dashes | Should -Be 1
    }

    It 'fits 120 columns' {
        foreach ($line in $lines) { $line.TrimEnd().Length | Should -BeLessOrEqual 119 }
    }

    It 'shows durations to the millisecond' {
        $text = $lines -join "`n"
        $text | Should -Not -Match '\d\d:\d\d:\d\d\.\d{4,}'
        if ($type.GetProperties().PropertyType -contains [timespan]) { $text | Should -Match '00:01:02\.346' }
    }
}

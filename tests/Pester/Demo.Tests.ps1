# The README's first command ends in scripts/Demo.ps1: run it as a newcomer would and check what it shows and leaves.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $repository = Resolve-Path "$PSScriptRoot/../.."
    Push-Location $repository
    $output = & dotnet pwsh -NoProfile -NonInteractive -File scripts/Demo.ps1 *>&1 | ForEach-Object { "$_" }
    $exitCode = $LASTEXITCODE
    Pop-Location
    $text = $output -join "`n"
}

Describe 'scripts/Demo.ps1' {
    It 'ends without an error' {
        $exitCode | Should -Be 0 -Because $text
    }

    It 'shows warehouse 1 with the new amounts after the switch, and the old ones after swapping back' {
        $text | Should -Match '\|\s+1 \| 1234567-01 \|\s+400 \| 1\s+\| 2015-09-23 16:45:12 \|'
        $text | Should -Match '\|\s+1 \| 1234567-07 \|\s+2 \| 1\s+\| 2015-09-23 16:33:52 \|'
        $text | Should -Match '\|\s+3 \| 1234567-10 \|\s+269 \| 1\s+\| 2015-09-23 16:32:49 \|'
    }

    It 'leaves <_> as the article started: warehouse 1 original, the new delivery in the work table' -ForEach $engines {
        Invoke-TestSql $_ 'SELECT SUM(AMOUNT), MAX(UPD_DTTM) FROM T_STOCK WHERE STOCKHOUSE_ID = 1' | Should -Match '^4345\|2015-09-23 16:33:52'
        Invoke-TestSql $_ 'SELECT SUM(AMOUNT), COUNT(*) FROM T_STOCK_S01' | Should -Be '4600|10'
        Invoke-TestSql $_ 'SELECT COUNT(*) FROM T_STOCK' | Should -Be '50'
    }
}

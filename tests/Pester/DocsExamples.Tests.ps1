# Every PowerShell example in docs/*.md and README.md, run as printed against the throwaway servers.
# Only the server and port of Connect-BatchDb lines are replaced (db01 -> 127.0.0.1 -Port <test port>); credentials
# come from Get-Credential / Get-Secret stand-ins that return the test server's, and $cred holds the same.
# Each page runs in its own runspace in a working folder with the files its examples name (DocsWorld.psm1);
# a page's examples run in order and share that runspace, as a reader's session would. Each example must write
# no error (unless its fixture says it reports one) and passes its fixture's checks of the tables it changed.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
    $root = Join-Path $PSScriptRoot '../..'

    # The fenced powershell blocks of a page with the heading above each.
    function Get-Example([string] $Path) {
        $text = (Get-Content $Path -Raw) -replace "`r`n", "`n"
        $number = 0
        foreach ($match in [regex]::Matches($text, '(?ms)^(#{2,3} [^\n]*)\n(?:(?!^#{2,3} ).)*?^```powershell\n(.*?)^```')) {
            $number++
            @{ Number = $number; Title = $match.Groups[1].Value.TrimStart('#', ' '); Code = $match.Groups[2].Value }
        }
    }

    $pages = foreach ($file in Get-ChildItem (Join-Path $root 'docs/*.md') | Where-Object BaseName -notin 'benchmarks', 'architecture', 'parallel-runs') {
        @{ Page = $file.BaseName; Path = $file.FullName; Examples = @(Get-Example $file.FullName) }
    }
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/DocsWorld.psm1" -Force
    Import-BuiltBatchDb
    . "$PSScriptRoot/DocsExamples.Fixtures.ps1"

    $engines = @(Get-TestEngine)
    $ports = @{}
    foreach ($engine in $engines) { $ports[$engine] = (Get-TestServerSetting $engine).Port }
    $credential = Get-TestCredential $engines[0]

    # The clients the examples call (psql, pg_dump, mariadb) find the test servers through their own settings.
    $pg = Get-TestServerSetting PostgreSql
    $env:PGHOST = $pg.Server; $env:PGPORT = $pg.Port; $env:PGUSER = $pg.User; $env:PGPASSWORD = $pg.Password
    $my = Get-TestServerSetting MySql
    $env:MYSQL_HOME = Join-Path $TestDrive 'mysql-home'
    New-Item -ItemType Directory -Force $env:MYSQL_HOME | Out-Null
    Set-Content (Join-Path $env:MYSQL_HOME 'my.cnf') "[client]`nhost=$($my.Server)`nport=$($my.Port)`nuser=$($my.User)`npassword=$($my.Password)"

    # Only the host and port of a Connect-BatchDb line change; the provider named on the line picks the port.
    function ConvertTo-LocalCode([string] $Code) {
        $lines = foreach ($line in $Code -split "`n") {
            if ($line -match 'Connect-BatchDb') {
                $provider = if ($line -match 'PostgreSql') { 'PostgreSql' } else { 'MySql' }
                $line = $line -replace '-Server\s+\S+', "-Server 127.0.0.1 -Port $($ports[$provider])"
                $line = $line -replace '(Connect-BatchDb\s+(?:MySql|PostgreSql))\s+(?!-)(\S+)\s+(?!-)(\S+)', "`$1 127.0.0.1 `$3 -Port $($ports[$provider])"
            }
            $line
        }
        $lines -join "`n"
    }

    # {PROVIDER}, {PORT}, {MYSQL_PORT} and {POSTGRES_PORT} in a fixture's prelude.
    function Expand-Placeholder([string] $Text, [string] $Provider) {
        $Text -replace '\{PROVIDER\}', $Provider -replace '\{PORT\}', $ports[$Provider] -replace '\{MYSQL_PORT\}', $ports['MySql'] -replace '\{POSTGRES_PORT\}', $ports['PostgreSql']
    }

    function New-ExampleSession([string] $Folder) {
        # As installed, BatchDb is on PSModulePath, so the runspaces of ForEach-Object -Parallel load it by name.
        $modules = Split-Path (Get-TestModulePath)
        if ($env:PSModulePath -notlike "$modules$([IO.Path]::PathSeparator)*") { $env:PSModulePath = "$modules$([IO.Path]::PathSeparator)$env:PSModulePath" }
        $ps = [powershell]::Create()
        $null = $ps.AddScript({
            param($module, $folder, $credential, $secret)
            Import-Module $module
            Set-Location $folder
            $global:cred = $credential
            $global:TestCredential = $credential
            $global:TestSecret = $secret
            function global:Get-Credential { $global:TestCredential }
            function global:Get-Secret { $global:TestSecret }
        }).AddArgument((Get-TestModulePath)).AddArgument($Folder).AddArgument($credential).AddArgument((Get-TestConnectionString PostgreSql))
        $ps.Invoke() | Out-Null
        $ps.Commands.Clear()
        $ps
    }

    function Invoke-ExampleCode($Session, [string] $Code) {
        $Session.Commands.Clear()
        $Session.Streams.ClearStreams()
        $null = $Session.AddScript($Code)
        $output = $null
        $failure = $null
        try { $output = $Session.Invoke() } catch { $failure = $_.Exception.InnerException ?? $_.Exception }
        [pscustomobject]@{
            Output  = @($output)
            Errors  = @($Session.Streams.Error.ReadAll())
            Failure = $failure
            Text    = (@($output) | Out-String -Width 120)
        }
    }
}

Describe 'docs/<Page>.md' -ForEach $pages {
    BeforeAll {
        $fixture = $DocsFixtures[$Page]
        if (-not $fixture) { throw "DocsExamples.Fixtures.ps1 has no fixture for docs/$Page.md" }
    }

    It 'has a fixture for each of its examples' {
        foreach ($example in $Examples) {
            $fixture.Checks.Contains($example.Number) | Should -BeTrue -Because "example $($example.Number) ($($example.Title)) needs a check"
        }
    }

    Context 'on <_>' -ForEach $engines {
        BeforeAll {
            $provider = $_
            $runs = $fixture.Engines -contains $provider
            if ($runs) {
                $folder = New-ExampleFolder (Join-Path $TestDrive "$Page-$provider")
                if ($fixture.Setup) { & $fixture.Setup $provider $folder }
                $session = New-ExampleSession $folder
                if ($fixture.Prelude) {
                    $prelude = Invoke-ExampleCode $session (Expand-Placeholder $fixture.Prelude $provider)
                    if ($prelude.Failure -or $prelude.Errors) { throw "The prelude of docs/$Page.md failed: $($prelude.Failure) $($prelude.Errors)" }
                }
            }
        }
        AfterAll {
            if ($runs) {
                # Runs left open end, and pooled sessions close, before the next page drops and re-creates the databases.
                Invoke-ExampleCode $session 'Get-BatchExecution -Running -ErrorAction Ignore | Complete-BatchExecution -Status Failed -ErrorMessage "page ended" -ErrorAction Ignore; Get-BatchDbConnection | Disconnect-BatchDb' | Out-Null
                $session.Runspace.Dispose()
                $session.Dispose()
            }
        }

        It 'example <Number>: <Title>' -ForEach $Examples {
            $only = $fixture.Only[$Number]
            if (-not $runs -or ($only -and $only -ne $provider)) {
                Set-ItResult -Skipped -Because "docs/$Page.md example $Number is for $(if ($only) { $only } else { $fixture.Engines -join ' and ' })"
                return
            }
            if ($fixture.Before[$Number]) { & $fixture.Before[$Number] $provider $folder $session }
            $result = Invoke-ExampleCode $session (ConvertTo-LocalCode $Code)
            $result.Failure | Should -BeNullOrEmpty
            if (-not $fixture.ReportsErrors.Contains($Number)) {
                ($result.Errors | ForEach-Object { "$_" }) -join "`n" | Should -BeNullOrEmpty
            }
            & $fixture.Checks[$Number] $result $provider $session
        }
    }
}

Describe 'README.md Quick start' {
    BeforeAll {
        $readme = (Get-Content (Join-Path $PSScriptRoot '../../README.md') -Raw) -replace "`r`n", "`n"
        $quickStart = $readme.Substring($readme.IndexOf('## Quick start'))
        $quickStart = $quickStart.Substring(0, $quickStart.IndexOf("`n## ", 5))
        $blocks = @([regex]::Matches($quickStart, '(?ms)^```powershell\n(.*?)^```') | ForEach-Object { $_.Groups[1].Value })
        # The connection block has one line per engine; a reader runs one of them.
        function Select-EngineLine([string] $Code, [string] $Provider) {
            ($Code -split "`n" | Where-Object { $_ -notmatch 'Connect-BatchDb -Provider (\w+)' -or $Matches[1] -eq $Provider }) -join "`n"
        }
    }

    It 'has the connection, seed, ledger and staging blocks' {
        $blocks | Should -HaveCount 4
    }

    Context 'on <_>' -ForEach $engines {
        BeforeAll {
            $provider = $_
            Initialize-ShopDatabase $provider
            $folder = New-ExampleFolder (Join-Path $TestDrive "readme-$provider")
            New-Item -ItemType SymbolicLink -Path (Join-Path $folder 'out/BatchDb') -Target (Get-TestModulePath) | Out-Null
            $session = New-ExampleSession $folder
        }
        AfterAll {
            Invoke-ExampleCode $session 'Get-BatchDbConnection | Disconnect-BatchDb' | Out-Null
            $session.Runspace.Dispose()
            $session.Dispose()
        }

        It 'connects with the line for its engine' {
            $result = Invoke-ExampleCode $session (ConvertTo-LocalCode (Select-EngineLine $blocks[0] $provider))
            $result.Failure | Should -BeNullOrEmpty
            $result.Errors | Should -BeNullOrEmpty
            $result.Output[-1].Provider | Should -Be $provider
            $result.Output[-1].Database | Should -Be 'shop'
        }

        It 'switches warehouse 1 in and back, and swaps a whole table' {
            $result = Invoke-ExampleCode $session $blocks[1]
            $result.Failure | Should -BeNullOrEmpty
            ($result.Errors | ForEach-Object { "$_" }) -join "`n" | Should -BeNullOrEmpty
            @($result.Output | Where-Object Partition) | Should -HaveCount 2
            Shop $provider 'SELECT SUM(AMOUNT) FROM T_STOCK WHERE STOCKHOUSE_ID = 1' | Should -Be '4345'
            Shop $provider 'SELECT SUM(AMOUNT) FROM T_STOCK_S01' | Should -Be '4600'
            Shop $provider 'SELECT ITEM_ID, NAME FROM M_ITEM ORDER BY 1' | Should -Be @('A-1|new apple', 'B-2|new banana', 'C-3|cherry')
        }

        It 'records the run, registers the schedule and lists the statistics' {
            $result = Invoke-ExampleCode $session $blocks[2]
            $result.Failure | Should -BeNullOrEmpty
            ($result.Errors | ForEach-Object { "$_" }) -join "`n" | Should -BeNullOrEmpty
            Shop $provider 'SELECT SUM(AMOUNT) FROM T_STOCK WHERE STOCKHOUSE_ID = 1' | Should -Be '4600'
            Shop $provider "SELECT status FROM $(Get-LedgerTable $provider batch_executions) WHERE batch_name = 'stock-s01' AND parent_id IS NULL" | Should -Be 'Succeeded'
            Shop $provider "SELECT cron_expression, time_zone FROM $(Get-LedgerTable $provider batch_schedule)" | Should -Be '0 3 * * *|Asia/Tokyo'
            ($result.Output | Where-Object { $_.PSObject.Properties['Executions'] }).Executions | Should -Be 1
        }
    }

    It 'extracts from MySQL into PostgreSQL staging and aggregates the days' -Skip:($engines.Count -lt 2) {
        Initialize-ShopDatabase MySql
        Initialize-BatchDatabase PostgreSql
        $folder = New-ExampleFolder (Join-Path $TestDrive 'readme-staging')
        $session = New-ExampleSession $folder
        try {
            $result = Invoke-ExampleCode $session (ConvertTo-LocalCode $blocks[3])
            $result.Failure | Should -BeNullOrEmpty
            ($result.Errors | ForEach-Object { "$_" }) -join "`n" | Should -BeNullOrEmpty
            Batch PostgreSql "SELECT COUNT(*) FROM batch.staging_orders WHERE user_id = '10000000-0000-0000-0000-000000000002'" | Should -Be '60'
            $expected = Batch PostgreSql "SELECT COUNT(*) FROM batch.staging_orders WHERE created_at >= '2026-11-20 15:00' AND created_at < '2026-11-21 15:00'"
            Batch PostgreSql "SELECT order_count FROM batch.daily_sales WHERE sale_date = '2026-11-21'" | Should -Be $expected
            Batch PostgreSql "SELECT COUNT(*) FROM pg_inherits WHERE inhparent = 'batch.staging_orders'::regclass" | Should -Be "$(@(Get-StagingMonth).Count + @(Get-PremadeMonth 3).Count)"
        } finally {
            Invoke-ExampleCode $session 'Get-BatchDbConnection | Disconnect-BatchDb' | Out-Null
            $session.Runspace.Dispose()
            $session.Dispose()
        }
    }
}

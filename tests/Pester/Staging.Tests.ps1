# Copy-BatchData into each engine from each engine (the docs examples write into PostgreSQL only), its -WhatIf and
# its ledger error, in a real pwsh.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
    $pairs = foreach ($source in $engines) { foreach ($destination in $engines) { @{ Source = $source; Destination = $destination } } }
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-Module "$PSScriptRoot/DocsWorld.psm1" -Force
    Import-BuiltBatchDb
    foreach ($engine in Get-TestEngine) { Initialize-ShopDatabase $engine }
}

Describe 'Copy-BatchData from <Source> into <Destination>' -ForEach $pairs {
    BeforeAll {
        $staging = Get-TestUniqueName 'staging'
        $uuid = if ($Destination -eq 'PostgreSql') { 'uuid' } else { 'CHAR(36)' }
        $time = if ($Destination -eq 'PostgreSql') { 'timestamp(6)' } else { 'DATETIME(6)' }
        Invoke-TestSql $Destination "CREATE TABLE $staging (id $uuid, user_id $uuid, amount decimal(15,2), status varchar(50), created_at $time, updated_at $time, batch_id varchar(50))"
        $from = Connect-TestServer $Source -Name "src-$Source-$Destination" -Database shop
        $to = Connect-TestServer $Destination -Name "dst-$Source-$Destination"
        Initialize-BatchSchema -Connection $to -Confirm:$false | Out-Null
        $userId = if ($Source -eq 'PostgreSql') { '10000000-0000-0000-0000-000000000001' } else { '10000000-0000-0000-0000-000000000002' }
    }

    It '-WhatIf copies nothing and moves no mark' {
        Copy-BatchData -Source $from -SourceTable orders -Table $staging -WatermarkColumn updated_at -KeyColumn id -Connection $to -WhatIf | Should -BeNullOrEmpty
        Invoke-TestSql $Destination "SELECT COUNT(*) FROM $staging" | Should -Be '0'
    }

    It 'copies every order once, with exact amounts, stamped with the run' {
        $result = Copy-BatchData -Source $from -SourceTable orders -Table $staging -WatermarkColumn updated_at -KeyColumn id -Connection $to -BatchName "extract-$Source"
        $result.RowsCopied | Should -Be 60
        Invoke-TestSql $Destination "SELECT COUNT(*), COUNT(DISTINCT id), SUM(amount), MIN(CAST(user_id AS CHAR(36))), COUNT(DISTINCT batch_id) FROM $staging" |
            Should -Be "60|60|18757.50|$userId|1"
    }

    It 'copies nothing the second time' {
        (Copy-BatchData -Source $from -SourceTable orders -Table $staging -WatermarkColumn updated_at -KeyColumn id -Connection $to).RowsCopied | Should -Be 0
        Invoke-TestSql $Destination "SELECT COUNT(*) FROM $staging" | Should -Be '60'
    }

    It 'refuses a destination without a ledger with LedgerNotFound' {
        $bare = Connect-TestServer $Destination -Name "bare-$Source-$Destination" -Database shop
        Copy-BatchData -Source $from -SourceTable orders -Table orders -WatermarkColumn updated_at -BatchIdColumn '' -Connection $bare -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'LedgerNotFound,*'
        $failures[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Hostile and malformed arguments on <_>' -ForEach @(Get-TestEngine) {
    BeforeAll {
        $provider = $_
        $connection = Connect-TestServer $provider -Name "hostile-$provider"
        Initialize-BatchSchema -Connection $connection -Confirm:$false | Out-Null
        $staging = Get-TestUniqueName 'staging'
        $uuid = if ($provider -eq 'PostgreSql') { 'uuid' } else { 'CHAR(36)' }
        $time = if ($provider -eq 'PostgreSql') { 'timestamp(6)' } else { 'DATETIME(6)' }
        Invoke-TestSql $provider "CREATE TABLE $staging (id $uuid, user_id $uuid, amount decimal(15,2), status varchar(50), created_at $time, updated_at $time, batch_id varchar(50))"
        $source = Connect-TestServer $provider -Name "hostile-src-$provider" -Database shop
    }

    It 'refuses a -From that is neither a date nor a number, before anything reaches the server' {
        Copy-BatchData -Source $source -SourceTable orders -Table $staging -WatermarkColumn updated_at -From "2026-01-01'; DROP TABLE $staging; --" -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidArgument,*'
        $failures[0].Exception.Message | Should -Match 'neither a date and time nor a number'
        Invoke-TestSql $provider "SELECT COUNT(*) FROM $staging" | Should -Be '0'
    }

    It 'takes a -From date given as text' {
        (Copy-BatchData -Source $source -SourceTable orders -Table $staging -WatermarkColumn updated_at -From '2026-11-22 00:00:00' -Connection $connection).RowsCopied |
            Should -Be ([int](Invoke-TestSql $provider -Database shop "SELECT COUNT(*) FROM orders WHERE updated_at > '2026-11-22 00:00:00'"))
    }

    It 'names a table name that is too long as the table''s problem, not the batch name''s' {
        $long = 'T' * 250
        Import-WorkTable -Table $long -Partition P_S01 -Path (Get-TestDataPath 'T_STOCK_S01.csv') -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidIdentifier,*'
        $failures[0].Exception.Message | Should -Match 'longer than \d+ characters'
        Invoke-DailyAggregate -Date 2026-11-21 -SourceTable $long -AggregateTable daily_x -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].Exception.Message | Should -Not -Match 'batch name'
    }

    It 'refuses a NUL in a name or a batch name with a clear error' {
        Import-WorkTable -Table "T_STOCK`0X" -Partition P_S01 -Path (Get-TestDataPath 'T_STOCK_S01.csv') -Connection $connection -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'InvalidIdentifier,*'
        Invoke-BatchJob -Name "nightly`0run" -ScriptBlock { 'x' } -Connection $connection -Confirm:$false -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].Exception.Message | Should -Match 'control characters'
    }

    It 'names host and port when a connection fails' {
        $setting = Get-TestServerSetting $provider
        $wrong = [pscredential]::new($setting.User, (ConvertTo-SecureString 'wrong-password' -AsPlainText -Force))
        Connect-BatchDb -Provider $provider -Server $setting.Server -Port $setting.Port -Database $setting.Database -Credential $wrong -ErrorVariable failures -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        $failures[0].FullyQualifiedErrorId | Should -BeLike 'AuthenticationFailed,*'
        $failures[0].Exception.Message | Should -Match ([regex]::Escape("($($setting.Server):$($setting.Port)/$($setting.Database))"))
        $failures[0].Exception.Message | Should -Not -Match 'wrong-password'
    }
}

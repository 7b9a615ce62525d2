# The examples/ files, checked as far as this machine allows: the Kubernetes Job manifest parsed as kubectl reads it,
# the image's Dockerfile against the package it installs, and the workers' code run for real against the test
# servers: the pod's script as the Job's three pods (JOB_COMPLETION_INDEX 0..2), the Automation runbook with its
# credential asset supplied.
BeforeDiscovery {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    $engines = @(Get-TestEngine)
}

BeforeAll {
    Import-Module "$PSScriptRoot/BatchDb.TestHelpers.psm1" -Force
    Import-BuiltBatchDb
    $repository = (Resolve-Path "$PSScriptRoot/../..").Path
    $examples = Join-Path $repository 'examples'
}

Describe 'examples/kubernetes' {
    BeforeAll {
        $manifest = Join-Path $examples 'kubernetes/morning-stock-job.yaml'
        $job = & python3 -c 'import sys, json, yaml; print(json.dumps(yaml.safe_load(open(sys.argv[1]))))' $manifest | ConvertFrom-Json
        $container = $job.spec.template.spec.containers[0]
    }

    It 'is an Indexed Job of three pods at once, each restarted for its own share' {
        $LASTEXITCODE | Should -Be 0
        $job.apiVersion, $job.kind | Should -Be 'batch/v1', 'Job'
        $job.spec.completionMode | Should -Be 'Indexed'
        $job.spec.completions | Should -Be 3
        $job.spec.parallelism | Should -Be 3
        $job.spec.template.spec.restartPolicy | Should -Be 'OnFailure'
        ($container.env | Where-Object name -eq 'BATCHDB_WORKERS').value | Should -Be "$($job.spec.completions)"
    }

    It 'gives the pod every setting its script reads, the credentials from a Secret' {
        $read = [regex]::Matches((Get-Content (Join-Path $examples 'kubernetes/morning-stock.ps1') -Raw), '\$env:(BATCHDB_\w+)').ForEach({ $_.Groups[1].Value }) | Sort-Object -Unique
        $container.env.name | Sort-Object | Should -Be $read
        foreach ($secret in 'BATCHDB_USER', 'BATCHDB_PASSWORD') {
            $variable = $container.env | Where-Object name -eq $secret
            $variable.value | Should -BeNullOrEmpty
            $variable.valueFrom.secretKeyRef.name | Should -Be 'batchdb-processor'
        }
        ($container.env | Where-Object name -eq 'BATCHDB_RUN').valueFrom.fieldRef.fieldPath | Should -Be "metadata.labels['batch.kubernetes.io/job-name']"
    }

    It 'builds its image from the package scripts/package.sh makes, with no secret in it' {
        $dockerfile = Get-Content (Join-Path $examples 'kubernetes/Dockerfile')
        $dockerfile | Where-Object { $_ -match '^COPY out/package/repository/' } | Should -Not -BeNullOrEmpty
        Get-Content (Join-Path $repository 'scripts/Package.ps1') -Raw | Should -Match 'out/package/repository/BatchDb\.<version>\.nupkg'
        $dockerfile | Where-Object { $_ -match '^COPY examples/kubernetes/morning-stock\.ps1 (\S+)' } | Should -Not -BeNullOrEmpty
        $copied = ($dockerfile | Where-Object { $_ -match '^COPY examples/kubernetes/morning-stock\.ps1 (\S+)' }) -replace '^COPY \S+ ', ''
        ($dockerfile | Where-Object { $_ -match '^ENTRYPOINT' }) | Should -Match ([regex]::Escape($copied))
        $dockerfile | Where-Object { $_ -match '^(ENV|ARG) .*(PASSWORD|SECRET)' } | Should -BeNullOrEmpty
        $dockerfile | Where-Object { $_ -match '^USER (?!root)' } | Should -Not -BeNullOrEmpty
    }
}

Describe 'The example workers on <_>' -ForEach $engines {
    BeforeAll {
        $provider = $_
        $table = Get-TestUniqueName 'T_STOCK'
        New-TestStockTable $provider $table
        $table = if ($provider -eq 'PostgreSql') { $table.ToLowerInvariant() } else { $table }
        $setting = Get-TestServerSetting $provider
        function New-Incoming([string] $Name, [int] $Amount) {
            $folder = Join-Path $TestDrive "$provider-$Name"
            New-Item -ItemType Directory $folder | Out-Null
            foreach ($w in 1..5) { Set-Content (Join-Path $folder ('T_STOCK_S{0:d2}.csv' -f $w)) (1..50 | ForEach-Object { "$w,ITEM-$_,$Amount,2,2026-11-30 06:00:00" }) }
            $folder
        }
        $ledger = Get-LedgerTable $provider
        Initialize-BatchSchema -Connection (Connect-TestServer $provider -Name "examples-$provider") -Confirm:$false | Out-Null
        $env:PSModulePath = "$(Split-Path (Get-TestModulePath))$([IO.Path]::PathSeparator)$env:PSModulePath"
    }

    It 'the pod script, run as the Job''s three pods, switches every warehouse once' {
        $incoming = New-Incoming pods 7
        foreach ($index in 0..2) {
            $environment = @{
                JOB_COMPLETION_INDEX = "$index"; BATCHDB_WORKERS = '3'; BATCHDB_RUN = 'morning-stock-29408117'; BATCHDB_PROVIDER = $provider; BATCHDB_SERVER = $setting.Server; BATCHDB_PORT = "$($setting.Port)"
                BATCHDB_DATABASE = $setting.Database; BATCHDB_TABLE = $table; BATCHDB_INCOMING = $incoming; BATCHDB_USER = $setting.User; BATCHDB_PASSWORD = $setting.Password
                PSModulePath = $env:PSModulePath
            }
            $pod = Start-TestPwsh (Join-Path $examples 'kubernetes/morning-stock.ps1') $environment
            $errors = $pod.StandardError.ReadToEndAsync()
            $pod.WaitForExit(120000) | Should -BeTrue
            $pod.ExitCode | Should -Be 0 -Because $errors.Result
        }
        Invoke-TestSql $provider "SELECT COUNT(*), MIN(amount), MAX(amount) FROM $table" | Should -Be '250|7|7'
        Invoke-TestSql $provider "SELECT batch_name, status FROM $ledger WHERE batch_name LIKE '$table-morning share %' AND parent_id IS NULL ORDER BY batch_name" |
            Should -Be @(0..2 | ForEach-Object { "$table-morning share $_/3|Succeeded" })
    }

    It 'the Automation runbook, with its credential asset supplied, does the share it is started for' {
        $incoming = New-Incoming runbook 9
        function Get-AutomationPSCredential([string] $Name) {
            $Name | Should -Be 'batchdb-processor'
            Get-TestCredential $provider
        }
        $runbook = Join-Path $examples 'azure-automation/Invoke-MorningStock.ps1'
        $common = @{ Workers = 3; Provider = $provider; Server = $setting.Server; Port = $setting.Port; Database = $setting.Database; Table = $table; Incoming = $incoming }
        $runs = foreach ($share in 0..2) { & $runbook -Share $share @common }
        $runs.Status | Should -Be @('Succeeded', 'Succeeded', 'Succeeded')
        Invoke-TestSql $provider "SELECT COUNT(*), MIN(amount), MAX(amount) FROM $table" | Should -Be '250|9|9'
    }
}

@{
    RootModule           = 'BatchDb.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '4f7d6c1e-2b8a-4c59-9e3d-7a1b5c0d8e21'
    Author               = 'BatchDb contributors'
    CompanyName          = 'BatchDb'
    Copyright            = '(c) BatchDb contributors. All rights reserved.'
    Description          = 'Batch work on live MySQL/MariaDB and PostgreSQL databases: double-buffered bulk replacement of a partition behind a running service (load an off-screen work table, validate it, swap it in atomically).'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('BatchDb.Format.ps1xml')
    CmdletsToExport      = @(
        'Connect-BatchDb'
        'Disconnect-BatchDb'
        'Get-BatchDbConnection'
        'New-WorkTable'
        'Import-WorkTable'
        'Switch-Partition'
        'Switch-Table'
        'Enable-ViewSwitch'
        'Initialize-BatchSchema'
        'Start-BatchExecution'
        'Complete-BatchExecution'
        'Invoke-BatchJob'
        'Get-BatchExecution'
        'Get-BatchStatistic'
        'Register-BatchSchedule'
        'Get-BatchSchedule'
        'Copy-BatchData'
        'Invoke-DailyAggregate'
        'Get-MonthlyPartition'
        'New-MonthlyPartition'
        'Remove-MonthlyPartition'
        'New-ChangeCapture'
        'Receive-ChangeCapture'
        'Get-ChangeCapture'
        'Remove-ChangeCapture'
        'Grant-BatchAccess'
        'Test-BatchAccess'
        'Backup-BatchDatabase'
        'Restore-BatchDatabase'
        'Select-BatchShare'
    )
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = @('MySQL', 'MariaDB', 'PostgreSQL', 'Batch', 'BulkLoad', 'Partition', 'ETL', 'Scheduling', 'CDC', 'PSEdition_Core', 'Linux', 'Windows', 'MacOS')
            ProjectUri   = 'https://github.com/batchdb/BatchDb'
            LicenseUri   = 'https://github.com/batchdb/BatchDb/blob/main/LICENSE'
            ReleaseNotes = 'Help for every cmdlet (Get-Help, with the docs examples), Tab completion of connection, table, partition, batch, encoding and time-zone names, table views that fit 120 columns, Import-WorkTable -LiteralPath, and a PostgreSQL work table can again be created for a partition that was switched before.'
        }
    }
}

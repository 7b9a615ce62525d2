# One fixture per docs page for DocsExamples.Tests.ps1 (dot-sourced there):
#   Engines        the engines the page's examples run on (an example that names its provider runs on that one)
#   Setup          { param($provider, $folder) }  databases and tables, in the test's runspace
#   Prelude        PowerShell run in the page's session before its examples: the connections and runs the page
#                  assumes ({PROVIDER}, {PORT}, {MYSQL_PORT} and {POSTGRES_PORT} are filled in)
#   Before[n]      { param($provider, $folder, $session) }  state example n assumes beyond the previous examples
#   Only[n]        the one engine example n is written for
#   ReportsErrors  examples that are meant to write an error
#   Checks[n]      { param($result, $provider, $session) }  Pester assertions on example n's output and tables
function New-DocFixture {
    param([string[]] $Engines = @('MySql', 'PostgreSql'), [scriptblock] $Setup, [string] $Prelude, [hashtable] $Checks,
          [hashtable] $Only = @{}, [hashtable] $Before = @{}, [int[]] $ReportsErrors = @())
    @{ Engines = $Engines; Setup = $Setup; Prelude = $Prelude; Checks = $Checks; Only = $Only; Before = $Before; ReportsErrors = $ReportsErrors }
}

# SQL against database shop or batch of the engine; rows as 'a|b'.
function Shop([string] $Provider, [string] $Sql) { Invoke-TestSql $Provider -Database shop $Sql }
function Batch([string] $Provider, [string] $Sql) { Invoke-TestSql $Provider -Database batch $Sql }
function Get-WarehouseSum([string] $Provider, [int] $Warehouse) { Shop $Provider "SELECT SUM(AMOUNT) FROM T_STOCK WHERE STOCKHOUSE_ID = $Warehouse" }
function Get-SessionValue($Session, [string] $Code) { $Session.Commands.Clear(); @($Session.AddScript($Code).Invoke()) }

$connectShop = 'Connect-BatchDb -Provider {PROVIDER} -Server 127.0.0.1 -Port {PORT} -Database shop -Credential $cred -Name shop | Out-Null'
$connectBatch = 'Connect-BatchDb -Provider {PROVIDER} -Server 127.0.0.1 -Port {PORT} -Database batch -Credential $cred -Name batch | Out-Null'
$connectDwh = 'Connect-BatchDb -Provider PostgreSql -Server 127.0.0.1 -Port {POSTGRES_PORT} -Database analytics -Credential $cred -Name dwh | Out-Null'
$initializeLedger = 'Initialize-BatchSchema -Confirm:$false | Out-Null'
$connectOnline = 'Connect-BatchDb -Provider PostgreSql -Server 127.0.0.1 -Port {POSTGRES_PORT} -Database shop -Credential $cred -Name online | Out-Null'
$createOrderNotes = @'
CREATE TABLE order_notes (order_id uuid, note_no int, note text, PRIMARY KEY (order_id, note_no));
INSERT INTO order_notes VALUES ('00000000-0000-0000-0000-000000000001', 1, 'ring twice'), ('00000000-0000-0000-0000-000000000001', 2, '注文確認済み');
'@
$createStagingOrders = 'CREATE TABLE batch.{0} (id uuid PRIMARY KEY, user_id uuid, amount numeric(15,2), status varchar(50), created_at timestamp(6), updated_at timestamp(6), batch_id varchar(50))'
$createStagingNotes = 'CREATE TABLE batch.staging_flow_notes (order_id uuid, note_no int, note text, batch_id varchar(50), PRIMARY KEY (order_id, note_no))'
# A fresh batch_processor login (none left from an earlier run) and, on PostgreSQL, a role without LOGIN owning t_stock.
function Reset-BatchLogin([string] $Provider) {
    if ($Provider -eq 'PostgreSql') {
        Shop $Provider "DROP ROLE IF EXISTS batch_processor; DO `$`$BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'stock_owner') THEN CREATE ROLE stock_owner NOLOGIN; END IF; END`$`$"
        Shop $Provider ((@('t_stock') + (1..5 | ForEach-Object { "p_s0$_" }) | ForEach-Object { "ALTER TABLE $_ OWNER TO stock_owner;" }) -join ' ')
    } else {
        Shop $Provider "DROP USER IF EXISTS 'batch_processor'@'%'"
    }
}
$connectProcessor = @'
$processor = [pscredential]::new('batch_processor', (ConvertTo-SecureString 'S3cret-batch' -AsPlainText -Force))
Grant-BatchAccess -Credential $processor -Capability Ledger, Staging -Schema batch -Connection batch -Confirm:$false | Out-Null
Grant-BatchAccess -Role batch_processor -Capability Source -Connection shop -Confirm:$false | Out-Null
Connect-BatchDb -Provider {PROVIDER} -Server 127.0.0.1 -Port {PORT} -Database batch -Credential $processor -Name processor | Out-Null
Connect-BatchDb -Provider {PROVIDER} -Server 127.0.0.1 -Port {PORT} -Database shop -Credential $processor -Name processor-shop | Out-Null
'@
$someRuns = @'
Invoke-BatchJob -Name stock-s01 -ScriptBlock { 'loaded' } -Confirm:$false | Out-Null
Invoke-BatchJob -Name stock-s02 -ScriptBlock { throw 'upstream file missing' } -Confirm:$false -ErrorAction Ignore | Out-Null
$held = Start-BatchExecution -Name manual-s03
'@
$seedAfter = '4600'   # warehouse 1's amounts in T_STOCK_S01.csv
$seedBefore = '4345'  # warehouse 1's amounts in T_STOCK.csv

$DocsFixtures = @{
    'Complete-BatchExecution' = New-DocFixture -Setup {
        param($provider)
        Initialize-ShopDatabase $provider
    } -Prelude "$connectShop`n$initializeLedger" -Before @{
        1 = {
            param($provider, $folder, $session)
            $sequence = if ($provider -eq 'PostgreSql') { 'ALTER TABLE batch.batch_executions ALTER COLUMN execution_id RESTART WITH 4711' } else { 'ALTER TABLE batch_executions AUTO_INCREMENT = 4711' }
            Shop $provider $sequence
            Get-SessionValue $session 'Start-BatchExecution -Name upstream-import | Out-Null; $run = Start-BatchExecution -Name stock-s01; Start-BatchExecution -Name manual-fix | Out-Null' | Out-Null
        }
    } -Checks @{
        1 = { param($r, $p) Shop $p "SELECT status, records_processed FROM $(Get-LedgerTable $p batch_executions) WHERE batch_name = 'stock-s01'" | Should -Be 'Succeeded|1200' }
        2 = { param($r, $p) Shop $p "SELECT batch_name, status, error_message FROM $(Get-LedgerTable $p batch_executions) WHERE execution_id = 4711" | Should -Be 'upstream-import|Failed|upstream file missing' }
        3 = { param($r, $p) Shop $p "SELECT status, error_message FROM $(Get-LedgerTable $p batch_executions) WHERE batch_name = 'manual-fix'" | Should -Be 'Failed|closed by operator' }
    }

    'Connect-BatchDb' = New-DocFixture -Engines MySql -Setup {
        Initialize-ShopDatabase MySql
        New-TestDatabase PostgreSql warehouse
        New-TestDatabase PostgreSql analytics
    } -Checks @{
        1 = { param($r) $r.Output[0].Name | Should -Be 'shop'; $r.Output[0].Provider | Should -Be 'MySql' }
        2 = { param($r) $r.Text | Should -Match 'Name\s+: warehouse'; $r.Text | Should -Match 'ServerVersion\s+: 15' }
        3 = {
            param($r)
            ($r.Output | Where-Object RowsLoaded).RowsLoaded | Should -Be 10
            Shop MySql 'SELECT SUM(AMOUNT) FROM T_STOCK_P_S01' | Should -Be $seedAfter
            Get-WarehouseSum MySql 1 | Should -Be $seedBefore
        }
    }

    'New-ChangeCapture' = New-DocFixture -Engines PostgreSql -Setup {
        Initialize-ShopDatabase PostgreSql
        Initialize-BatchDatabase PostgreSql
        Shop PostgreSql $createOrderNotes
        Batch PostgreSql ($createStagingOrders -f 'staging_orders_cdc'); Batch PostgreSql ($createStagingOrders -f 'staging_flow_orders'); Batch PostgreSql $createStagingNotes
    } -Prelude @"
$connectOnline
Connect-BatchDb -Provider PostgreSql -Server 127.0.0.1 -Port {POSTGRES_PORT} -Database batch -Credential `$cred -Name batch | Out-Null
Initialize-BatchSchema -Connection batch -Confirm:`$false | Out-Null
"@ -Checks @{
        1 = {
            param($r)
            $r.Output[0].Name | Should -Be 'orders'
            $r.Output[0].Table | Should -Be 'public.orders'
            Shop PostgreSql "SELECT s.plugin, p.pubname FROM pg_replication_slots s JOIN pg_publication p ON p.pubname = s.slot_name WHERE s.slot_name = 'batchdb_orders'" | Should -Be 'pgoutput|batchdb_orders'
        }
        2 = {
            param($r)
            $r.Output[0].Name | Should -Be 'order_mirror'
            $r.Output[1].FromLsn | Should -Not -BeNullOrEmpty
            Batch PostgreSql 'SELECT COUNT(*), SUM(amount) FROM batch.staging_orders_cdc' | Should -Be (Shop PostgreSql 'SELECT COUNT(*), SUM(amount) FROM orders')
            Batch PostgreSql "SELECT COUNT(DISTINCT batch_id) FROM batch.staging_orders_cdc" | Should -Be '1'
        }
        3 = {
            param($r)
            $r.Output[0].Table | Should -Be 'public.order_notes, public.orders'
            $r.Output[1].Table | Should -Be 'batch.staging_flow_notes, batch.staging_flow_orders'
            Batch PostgreSql 'SELECT COUNT(*), SUM(amount) FROM batch.staging_flow_orders' | Should -Be (Shop PostgreSql 'SELECT COUNT(*), SUM(amount) FROM orders')
            Batch PostgreSql 'SELECT string_agg(note, ''/'' ORDER BY note_no) FROM batch.staging_flow_notes' | Should -Be (Shop PostgreSql 'SELECT string_agg(note, ''/'' ORDER BY note_no) FROM order_notes')
            Shop PostgreSql "SELECT COUNT(*) FROM pg_publication_tables WHERE pubname = 'batchdb_order_flow'" | Should -Be '2'
        }
        4 = { param($r) Shop PostgreSql "SELECT COUNT(*) FROM pg_replication_slots WHERE slot_name = 'batchdb_order_lines'" | Should -Be '0' }
    }

    'Receive-ChangeCapture' = New-DocFixture -Engines PostgreSql -Setup {
        Initialize-ShopDatabase PostgreSql
        Initialize-BatchDatabase PostgreSql
        Shop PostgreSql $createOrderNotes
        Batch PostgreSql ($createStagingOrders -f 'staging_orders_cdc'); Batch PostgreSql ($createStagingOrders -f 'staging_flow_orders'); Batch PostgreSql $createStagingNotes
        Batch PostgreSql 'CREATE TABLE batch.order_changes (change_lsn bigint, change_position int, change_operation char(1), change_time timestamp(6), id uuid, user_id uuid, amount numeric(15,2), status varchar(50), created_at timestamp(6), updated_at timestamp(6), batch_id varchar(50), PRIMARY KEY (change_lsn, change_position))'
    } -Prelude @"
$connectOnline
Connect-BatchDb -Provider PostgreSql -Server 127.0.0.1 -Port {POSTGRES_PORT} -Database batch -Credential `$cred -Name batch | Out-Null
Initialize-BatchSchema -Connection batch -Confirm:`$false | Out-Null
New-ChangeCapture -Name orders -Table orders -Connection online | Out-Null
New-ChangeCapture -Name order_history -Table orders -Connection online | Out-Null
New-ChangeCapture -Name order_flow -Table orders, order_notes -Connection online | Out-Null
"@ -Before @{
        1 = {
            Shop PostgreSql @"
UPDATE orders SET amount = amount + 1 WHERE id IN ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002');
DELETE FROM orders WHERE id = '00000000-0000-0000-0000-000000000003';
INSERT INTO orders VALUES ('00000000-0000-0000-0000-000000000061', '10000000-0000-0000-0000-000000000001', 99.50, 'paid', '2026-11-30 09:00', '2026-11-30 09:00');
"@
        }
        3 = { 1..3 | ForEach-Object { Shop PostgreSql 'UPDATE orders SET amount = amount + 1' } }
        5 = { Shop PostgreSql "UPDATE orders SET amount = amount + 5, updated_at = '2026-11-30 10:00' WHERE id = '00000000-0000-0000-0000-000000000010'" }
        7 = { Shop PostgreSql 'UPDATE orders SET amount = amount + 1' }
        6 = {
            Shop PostgreSql @"
BEGIN;
INSERT INTO orders VALUES ('00000000-0000-0000-0000-000000000062', '10000000-0000-0000-0000-000000000001', 12.00, 'paid', '2026-11-30 11:00', '2026-11-30 11:00');
INSERT INTO order_notes VALUES ('00000000-0000-0000-0000-000000000062', 3, 'gift wrap');
UPDATE order_notes SET note = 'leave at the door' WHERE note_no = 1;
COMMIT;
"@
        }
    } -Checks @{
        1 = {
            param($r)
            $r.Output[0].Inserted, $r.Output[0].Updated, $r.Output[0].Deleted | Should -Be 1, 2, 1
            Batch PostgreSql 'SELECT COUNT(*), SUM(amount) FROM batch.staging_orders_cdc' |
                Should -Be (Shop PostgreSql "SELECT COUNT(*), SUM(amount) FROM orders WHERE id IN ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002', '00000000-0000-0000-0000-000000000061')")
            Batch PostgreSql 'SELECT COUNT(DISTINCT batch_id) FROM batch.staging_orders_cdc WHERE batch_id IS NOT NULL' | Should -Be '1'
        }
        2 = {
            param($r)
            $r.Output[0].Changes | Should -Be 4
            Batch PostgreSql 'SELECT string_agg(change_operation, '''' ORDER BY change_lsn, change_position) FROM batch.order_changes' | Should -Be 'UUDI'
        }
        3 = {
            param($r)
            $r.Output[0].Transactions | Should -Be 1
            $r.Output[0].Updated | Should -Be 60
            Batch PostgreSql "SELECT COUNT(*) FROM batch.batch_executions WHERE batch_name = 'orders-cdc' AND status = 'Succeeded' AND records_processed = 60" | Should -Be '1'
        }
        4 = {
            param($r)
            $r.Output[0].Transactions | Should -Be 2
            $r.Output[0].Elapsed.TotalSeconds | Should -BeGreaterOrEqual 3
            Batch PostgreSql 'SELECT COUNT(*), SUM(amount) FROM batch.staging_orders_cdc' | Should -Be (Shop PostgreSql 'SELECT COUNT(*), SUM(amount) FROM orders')
        }
        5 = {
            param($r)
            @($r.Output).Count | Should -BeGreaterThan 0
            $r.Output[0].Table | Should -Be 'batch.daily_sales'
            Batch PostgreSql 'SELECT SUM(order_count), SUM(total_sales) FROM batch.daily_sales' | Should -Be (Batch PostgreSql 'SELECT COUNT(*), SUM(amount) FROM batch.staging_orders_cdc')
            Batch PostgreSql 'SELECT SUM(amount) FROM batch.staging_orders_cdc' | Should -Be (Shop PostgreSql 'SELECT SUM(amount) FROM orders')
        }
        6 = {
            param($r)
            $r.Output[0].Table | Should -Be 'batch.staging_flow_notes, batch.staging_flow_orders'
            $r.Output[0].Inserted | Should -Be 3 -Because 'orders 61 and 62 and the note are new since the capture began'
            Batch PostgreSql "SELECT note FROM batch.staging_flow_notes ORDER BY note_no" | Should -Be @('leave at the door', 'gift wrap')
            Batch PostgreSql "SELECT amount FROM batch.staging_flow_orders WHERE id = '00000000-0000-0000-0000-000000000062'" | Should -Be '12.00'
            # Every order changed since the capture began (example 3's update touched them all), one was deleted.
            Batch PostgreSql 'SELECT COUNT(*), SUM(amount) FROM batch.staging_flow_orders' | Should -Be (Shop PostgreSql 'SELECT COUNT(*), SUM(amount) FROM orders')
        }
        7 = {
            param($r)
            $r.Output[0].Transactions | Should -Be 2 -Because "example 6's transaction and this one"
            $r.Output[0].Updated | Should -Be ([int](Shop PostgreSql 'SELECT COUNT(*) FROM orders'))
            Batch PostgreSql 'SELECT COUNT(*), SUM(amount) FROM batch.staging_orders_cdc' | Should -Be (Shop PostgreSql 'SELECT COUNT(*), SUM(amount) FROM orders')
        }
    }

    'Grant-BatchAccess' = New-DocFixture -Setup {
        param($provider)
        Initialize-ShopDatabase $provider
        Initialize-BatchDatabase $provider
        Reset-BatchLogin $provider
    } -Prelude "$connectShop`n$connectBatch`nInitialize-BatchSchema -Connection batch -Confirm:`$false | Out-Null" -Checks @{
        1 = {
            param($r, $p)
            $r.Output[0].Login | Should -Be 'batch_processor'
            ($r.Output[0].Statements -join "`n") | Should -Match 'GRANT SELECT, INSERT, UPDATE'
            ($r.Output[0].Statements -join "`n") | Should -Not -Match 'S3cret'
            if ($p -eq 'PostgreSql') { Batch $p "SELECT has_table_privilege('batch_processor', 'batch.batch_executions', 'INSERT')" | Should -Be 't' }
            else { Batch $p "SELECT COUNT(*) FROM mysql.tables_priv WHERE User = 'batch_processor' AND Db = 'batch' AND Table_name = 'batch_executions'" | Should -Be '1' }
        }
        2 = {
            param($r, $p)
            if ($p -eq 'PostgreSql') { Shop $p "SELECT pg_has_role('batch_processor', 'stock_owner', 'USAGE')" | Should -Be 't' }
            else { Shop $p "SELECT COUNT(*) FROM mysql.tables_priv WHERE User = 'batch_processor' AND Db = 'shop' AND FIND_IN_SET('Alter', Table_priv) > 0" | Should -Be '7' }
        }
        3 = {
            param($r, $p)
            $r.Output | Should -BeNullOrEmpty
            if ($p -eq 'PostgreSql') { Shop $p "SELECT has_table_privilege('batch_processor', 'orders', 'SELECT')" | Should -Be 'f' }
            else { Shop $p "SELECT COUNT(*) FROM mysql.tables_priv WHERE User = 'batch_processor' AND Table_name = 'orders'" | Should -Be '0' }
        }
    }

    'Test-BatchAccess' = New-DocFixture -Setup {
        param($provider)
        Initialize-ShopDatabase $provider
        Initialize-BatchDatabase $provider
        Reset-BatchLogin $provider
    } -Prelude "$connectShop`n$connectBatch`nInitialize-BatchSchema -Connection batch -Confirm:`$false | Out-Null`n$connectProcessor" -Checks @{
        1 = { param($r) $r.Output.Granted | Should -Be @($true, $true) }
        2 = {
            param($r, $p)
            $r.Output | Should -Not -BeNullOrEmpty
            ($r.Output -join '; ') | Should -Match $(if ($p -eq 'PostgreSql') { 'membership in role stock_owner' } else { 'ALTER on shop\.T_STOCK' })
        }
        3 = { param($r) $r.Output | Should -Be 'ready' }
    }

    'Backup-BatchDatabase' = New-DocFixture -Setup {
        param($provider, $folder)
        Initialize-ShopDatabase $provider
        New-Item -ItemType Directory (Join-Path $folder backups) -Force | Out-Null
    } -Prelude $connectShop -Before @{
        2 = {
            param($provider, $folder)
            $extension = if ($provider -eq 'PostgreSql') { '.dump' } else { '.sql' }
            foreach ($name in "shop_20200101T000000Z$extension", "other_20200101T000000Z$extension", 'notes.txt') { Set-Content (Join-Path $folder "backups/$name") 'old' }
        }
    } -Checks @{
        1 = {
            param($r, $p)
            $r.Output[0].Path | Should -Match $(if ($p -eq 'PostgreSql') { 'shop_\d{8}T\d{6}Z\.dump$' } else { 'shop_\d{8}T\d{6}Z\.sql$' })
            Test-Path $r.Output[0].Path | Should -BeTrue
            $r.Output[0].Tables | Should -BeGreaterOrEqual 5
        }
        2 = {
            param($r, $p, $s)
            $folder = Get-SessionValue $s '$PWD.Path'
            $r.Output[0].Verification | Should -BeLike 'restored into shop_verify_*: * tables, row counts equal'
            @($r.Output[0].Removed | Split-Path -Leaf) | Should -Be @($(if ($p -eq 'PostgreSql') { 'shop_20200101T000000Z.dump' } else { 'shop_20200101T000000Z.sql' }))
            (Get-ChildItem (Join-Path $folder backups) -Name) | Should -Contain 'notes.txt'
            (Get-ChildItem (Join-Path $folder backups) -Name) | Should -Contain $(if ($p -eq 'PostgreSql') { 'other_20200101T000000Z.dump' } else { 'other_20200101T000000Z.sql' })
        }
    }

    'Restore-BatchDatabase' = New-DocFixture -Setup {
        param($provider, $folder)
        Initialize-ShopDatabase $provider
        New-TestDatabase $provider shop_copy
        New-Item -ItemType Directory (Join-Path $folder backups) -Force | Out-Null
    } -Prelude "$connectShop`n`$dump = Backup-BatchDatabase -Path ./backups -Connection shop" -Before @{
        1 = { param($provider) Shop $provider 'DELETE FROM orders; UPDATE M_PRICE SET PRICE = 0' }
    } -Checks @{
        1 = {
            param($r, $p)
            $r.Output[0].Database | Should -Be 'shop'
            Shop $p 'SELECT COUNT(*), SUM(amount) FROM orders' | Should -Be '60|18757.50'
            Shop $p 'SELECT COUNT(*) FROM M_PRICE WHERE PRICE = 0' | Should -Be '0'
        }
        2 = { param($r, $p) Invoke-TestSql $p -Database shop_copy 'SELECT COUNT(*), SUM(amount) FROM orders' | Should -Be '60|18757.50' }
        3 = { param($r, $p) $r.Output[0].Database | Should -Be 'shop_copy'; Invoke-TestSql $p -Database shop_copy 'SELECT COUNT(*) FROM orders' | Should -Be '60' }
    }

    'Get-ChangeCapture' = New-DocFixture -Engines PostgreSql -Setup {
        Initialize-ShopDatabase PostgreSql
    } -Prelude "$connectOnline`nNew-ChangeCapture -Name orders -Table orders -Connection online | Out-Null" -Before @{
        2 = { Shop PostgreSql 'UPDATE orders SET amount = amount + 1' }
    } -Checks @{
        1 = { param($r) $r.Output.Name | Should -Be 'orders'; $r.Text | Should -Match 'orders\s+public\.orders\s+False' }
        2 = { param($r) $r.Output[-1] | Should -Be 1 }
    }

    'Remove-ChangeCapture' = New-DocFixture -Engines PostgreSql -Setup {
        Initialize-ShopDatabase PostgreSql
    } -Prelude "$connectOnline`nNew-ChangeCapture -Name orders -Table orders -Connection online | Out-Null`nNew-ChangeCapture -Name orders_old -Table orders -Connection online | Out-Null" -Checks @{
        1 = { param($r) Shop PostgreSql "SELECT string_agg(slot_name, ',') FROM pg_replication_slots WHERE database = 'shop'" | Should -Be 'batchdb_orders_old' }
        2 = { param($r) Shop PostgreSql "SELECT COUNT(*) FROM pg_replication_slots WHERE slot_name = 'batchdb_orders_old'" | Should -Be '1' }
    }

    'Copy-BatchData' = New-DocFixture -Engines PostgreSql -Setup {
        Initialize-ShopDatabase PostgreSql
        Initialize-ShopDatabase MySql
        Initialize-BatchDatabase PostgreSql
        Batch PostgreSql 'CREATE TABLE batch.staging_mariadb_orders (id uuid, user_id uuid, amount numeric(15,2), status varchar(50), created_at timestamp(6), updated_at timestamp(6), batch_id varchar(50))'
    } -Prelude @'
Connect-BatchDb -Provider MySql -Server 127.0.0.1 -Port {MYSQL_PORT} -Database shop -Credential $cred -Name shop-mariadb | Out-Null
Connect-BatchDb -Provider PostgreSql -Server 127.0.0.1 -Port {POSTGRES_PORT} -Database batch -Credential $cred -Name batch | Out-Null
Initialize-BatchSchema -Connection batch -Confirm:$false | Out-Null
'@ -Before @{
        3 = { Shop PostgreSql "UPDATE orders SET amount = amount + 1, updated_at = '2026-11-23 01:00' WHERE id IN ('00000000-0000-0000-0000-000000000001', '00000000-0000-0000-0000-000000000002')" }
    } -Checks @{
        1 = {
            param($r)
            $r.Output[-1].RowsCopied | Should -Be 60
            Batch PostgreSql "SELECT COUNT(*) FROM batch.staging_orders WHERE user_id = '10000000-0000-0000-0000-000000000001'" | Should -Be '60'
        }
        2 = {
            param($r)
            $r.Output[0].RowsCopied | Should -Be 48
            Batch PostgreSql "SELECT COUNT(*), MIN(status), MAX(status) FROM batch.staging_mariadb_orders WHERE user_id = '10000000-0000-0000-0000-000000000002'" | Should -Be '48|paid|paid'
        }
        3 = {
            param($r)
            Batch PostgreSql "SELECT COUNT(*), SUM(amount) FROM batch.staging_orders WHERE user_id = '10000000-0000-0000-0000-000000000001'" |
                Should -Be (Shop PostgreSql 'SELECT COUNT(*), SUM(amount) FROM orders')
            $expected = Batch PostgreSql "SELECT COUNT(*) FROM batch.staging_orders WHERE created_at >= '2026-11-20 15:00' AND created_at < '2026-11-21 15:00'"
            Batch PostgreSql "SELECT order_count FROM batch.daily_sales WHERE sale_date = '2026-11-21'" | Should -Be $expected
        }
        4 = {
            param($r)
            $r.Output[0].RowsCopied | Should -Be ([int](Shop PostgreSql "SELECT COUNT(*) FROM orders WHERE updated_at > '2026-11-21'"))
            Batch PostgreSql "SELECT COUNT(*) FROM batch.staging_orders WHERE user_id = '10000000-0000-0000-0000-000000000001'" | Should -Be '60'
        }
    }

    'Disconnect-BatchDb' = New-DocFixture -Setup { param($provider) Initialize-ShopDatabase $provider } -Prelude @'
Connect-BatchDb -Provider {PROVIDER} -Server 127.0.0.1 -Port {PORT} -Database shop -Credential $cred -Name shop | Out-Null
Connect-BatchDb -Provider {PROVIDER} -Server 127.0.0.1 -Port {PORT} -Database shop -Credential $cred -Name reporting | Out-Null
'@ -Checks @{
        1 = { param($r, $p, $s) (Get-SessionValue $s 'Get-BatchDbConnection').Name | Should -Be @('reporting') }
        2 = { param($r, $p, $s) Get-SessionValue $s 'Get-BatchDbConnection' | Should -BeNullOrEmpty }
    }

    'Enable-ViewSwitch' = New-DocFixture -Setup { param($provider) Initialize-ShopDatabase $provider } -Prelude $connectShop -Only @{ 2 = 'MySql'; 3 = 'PostgreSql'; 4 = 'MySql' } -Before @{
        2 = { Initialize-ShopDatabase MySql }
        4 = { param($p, $f, $s) Get-SessionValue $s 'Enable-ViewSwitch -Table M_PRICE -Confirm:$false' | Out-Null }
    } -Checks @{
        1 = { param($r, $p) Shop $p 'SELECT ITEM_ID, PRICE FROM M_PRICE ORDER BY ITEM_ID' | Should -Be @('A-1|105.00', 'B-2|82.00', 'C-3|310.00') }
        2 = {
            param($r)
            $r.Output[0].LiveTable | Should -BeLike '*M_PRICE_BLUE'
            Shop MySql "SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME LIKE 'M_PRICE%' ORDER BY 1" | Should -Be @('M_PRICE', 'M_PRICE_BLUE', 'M_PRICE_GREEN')
            Shop MySql 'SELECT COUNT(*) FROM M_PRICE' | Should -Be '2'
        }
        3 = { param($r) $r.Text | Should -Match 'm_price' }
        4 = { param($r) $r.Text | Should -Match 'M_PRICE' }
    }

    'Get-BatchDbConnection' = New-DocFixture -Engines MySql -Setup { Initialize-ShopDatabase MySql; New-TestDatabase PostgreSql analytics } -Prelude @"
Connect-BatchDb -Provider MySql -Server 127.0.0.1 -Port {MYSQL_PORT} -Database shop -Credential `$cred -Name shop | Out-Null
Connect-BatchDb -Provider MySql -Server 127.0.0.1 -Port {MYSQL_PORT} -Database shop -Credential `$cred -Name shop-archive | Out-Null
$connectDwh
Connect-BatchDb -Provider MySql -Server 127.0.0.1 -Port {MYSQL_PORT} -Database shop -Credential `$cred -Name reporting | Out-Null
"@ -Checks @{
        1 = { param($r) $r.Output.Name | Should -Be @('dwh', 'reporting', 'shop', 'shop-archive') }
        2 = { param($r) $r.Output.Name | Should -Be @('dwh', 'shop', 'shop-archive') }
    }

    'Get-BatchExecution' = New-DocFixture -Setup { param($provider) Initialize-ShopDatabase $provider } -Prelude "$connectShop`n$initializeLedger`n$someRuns" -Checks @{
        1 = { param($r) $r.Output.BatchName | Should -Be @('manual-s03'); $r.Output.Status | Should -Be 'Running' }
        2 = { param($r) $r.Output.BatchName | Should -Be @('stock-s02'); $r.Output.ErrorMessage | Should -Match 'upstream file missing' }
        3 = { param($r) $r.Text | Should -Match 'stock-s01\s+Succeeded'; $r.Text | Should -Match 'stock-s02\s+Failed' }
    }

    'Get-BatchSchedule' = New-DocFixture -Setup { param($provider) Initialize-ShopDatabase $provider } -Prelude @"
$connectShop
$initializeLedger
Register-BatchSchedule -Name stock-s01 -CronExpression '0 3 * * *' -TimeZone Asia/Tokyo -Timeout '00:30:00' | Out-Null
Register-BatchSchedule -Name month-end -CronExpression '0 2 L * *' | Out-Null
`$jobs = @{ 'stock-s01' = { Import-WorkTable T_STOCK P_S01 -Path ./T_STOCK_S01.csv | Switch-Partition -Confirm:`$false } }
"@ -Before @{
        # The runbook wakes after 03:00 Tokyo time: stock-s01's next execution has passed.
        1 = { param($p) Shop $p "UPDATE $(Get-LedgerTable $p batch_schedule) SET next_execution = '2026-01-01' WHERE batch_name = 'stock-s01'" }
    } -Checks @{
        1 = { param($r) $r.Output.Name | Should -Be @('stock-s01'); $r.Output.IsDue | Should -Be $true }
        2 = {
            param($r, $p)
            Get-WarehouseSum $p 1 | Should -Be $seedAfter
            Shop $p "SELECT status FROM $(Get-LedgerTable $p batch_executions) WHERE batch_name = 'stock-s01' AND parent_id IS NULL" | Should -Be 'Succeeded'
        }
    }

    'Get-BatchStatistic' = New-DocFixture -Setup { param($provider) Initialize-ShopDatabase $provider } -Prelude "$connectShop`n$initializeLedger`n$someRuns" -Checks @{
        1 = { param($r) $r.Output.BatchName | Should -Be @('manual-s03', 'stock-s01', 'stock-s02'); ($r.Output | Where-Object BatchName -eq 'stock-s02').Failed | Should -Be 1 }
        2 = { param($r) ($r.Output.BatchName | Sort-Object) | Should -Be @('stock-s01', 'stock-s02') }
        3 = { param($r) $r.Output.BatchName | Should -Be @('stock-s02'); $r.Output.Status | Should -Be 'Failed' }
    }

    'Get-MonthlyPartition' = New-DocFixture -Setup { param($provider) Initialize-BatchDatabase $provider } -Prelude $connectBatch -Checks @{
        1 = { param($r) $r.Output | Should -HaveCount 14; $r.Output[1].From | Should -Be ([datetime]'2025-12-01'); $r.Output[-1].To | Should -Be ([datetime]'2027-01-01') }
        2 = { param($r) $r.Output | Should -HaveCount 3; $r.Output[0].Rows | Should -BeGreaterOrEqual $r.Output[2].Rows }
    }

    'Import-WorkTable' = New-DocFixture -Setup { param($provider) Initialize-ShopDatabase $provider } -Prelude $connectShop -Only @{ 4 = 'MySql'; 5 = 'PostgreSql' } -Checks @{
        1 = { param($r, $p) $r.Output[0].LiveRows | Should -Be 10; Get-WarehouseSum $p 1 | Should -Be $seedAfter }
        2 = {
            param($r, $p)
            $r.Output | Should -HaveCount 2
            Get-WarehouseSum $p 1 | Should -Be $seedAfter
            Get-WarehouseSum $p 2 | Should -Be $seedAfter
            if ($p -eq 'PostgreSql') {
                # The imports left the new partitions' statistics to Switch-Partition's one ANALYZE of t_stock, after the last switch.
                Shop $p "SELECT count(DISTINCT tablename) FROM pg_stats WHERE schemaname = 'public' AND tablename IN ('p_s01', 'p_s02') AND NOT inherited" | Should -Be '2'
            }
        }
        3 = {
            param($r, $p)
            $r.Output[0].RowsLoaded | Should -Be 3
            Shop $p 'SELECT NAME, COALESCE(PRICE, -1) FROM T_ITEM_P_TOKYO ORDER BY ITEM_ID' | Should -Be @('りんご|120', 'バナナ|-1', 'みかん|90')
        }
        4 = { param($r) Shop MySql 'SELECT ITEM_ID, AMOUNT, VER_ID FROM T_STOCK_P_S02 ORDER BY ITEM_ID LIMIT 2' | Should -Be @('1234567-01|400|1', '1234567-02|600|1') }
        5 = { param($r) Shop PostgreSql 'SELECT item_id, name FROM batch.item_master ORDER BY 1' | Should -Be @('A-1|apple', 'B-2|banana') }
    }

    'Initialize-BatchSchema' = New-DocFixture -Setup {
        param($provider)
        Initialize-ShopDatabase $provider
        New-TestDatabase PostgreSql analytics
        Invoke-TestSql MySql 'DROP DATABASE IF EXISTS batch_ledger'
    } -Prelude "$connectDwh`n$connectShop" -Checks @{
        1 = {
            param($r, $p)
            $exists = if ($p -eq 'PostgreSql') { "SELECT to_regclass('batch.batch_executions') IS NOT NULL" } else { "SELECT COUNT(*) > 0 FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'batch_executions'" }
            Shop $p $exists | Should -BeIn @('f', '0')
        }
        2 = { param($r) Invoke-TestSql MySql -Database batch_ledger 'SELECT COUNT(*) FROM batch_executions' | Should -Be '0'; $r.Output[-1].Version | Should -Be 2 }
        3 = { param($r) Invoke-TestSql PostgreSql -Database analytics 'SELECT COUNT(*) FROM batch.batch_executions' | Should -Be '0' }
    }

    'Invoke-BatchJob' = New-DocFixture -Setup {
        param($provider)
        Initialize-ShopDatabase $provider
        Initialize-BatchDatabase $provider
    } -Prelude @"
$connectBatch
$initializeLedger
$connectShop
$initializeLedger
Register-BatchSchedule -Name stock-s01 -CronExpression '0 3 * * *' -TimeZone Asia/Tokyo -Timeout '00:30:00' | Out-Null
Register-BatchSchedule -Name daily-sales -CronExpression '0 10 * * *' -TimeZone Asia/Tokyo | Out-Null
"@ -Before @{
        2 = { param($p) Shop $p "UPDATE $(Get-LedgerTable $p batch_schedule) SET next_execution = '2026-01-01'" }
    } -Checks @{
        1 = {
            param($r, $p)
            Get-WarehouseSum $p 1 | Should -Be $seedAfter
            Shop $p "SELECT status FROM $(Get-LedgerTable $p batch_executions) WHERE batch_name = 'stock-s01' AND parent_id IS NULL" | Should -Be 'Succeeded'
        }
        2 = {
            param($r, $p)
            Shop $p "SELECT batch_name, status FROM $(Get-LedgerTable $p batch_executions) WHERE parent_id IS NULL ORDER BY batch_name" |
                Should -Be @('daily-sales|Succeeded', 'stock-s01|Succeeded', 'stock-s01|Succeeded')
            Batch $p "SELECT order_count FROM $(if ($p -eq 'PostgreSql') { 'batch.' })daily_sales WHERE sale_date = '2026-11-15'" | Should -Be '3'
        }
        3 = { param($r, $p, $s) $r.Output[-1].Status | Should -Be 'Succeeded'; Get-SessionValue $s 'Get-Content ./extracted.txt' | Should -Be 'extracted' }
        4 = {
            param($r, $p)
            $r.Output | Should -Be @('2026-11-24', '2026-11-27')
            Shop $p "SELECT status FROM $(Get-LedgerTable $p batch_executions) WHERE batch_name = 'nightly-days share 1/3'" | Should -Be 'Succeeded'
        }
        5 = {
            param($r, $p)
            $r.Output | Should -Be 'redone 2026-11-27'
            $r.Errors[0].ToString() | Should -BeLike '*not in yet*'
            $ledger = Get-LedgerTable $p batch_executions
            Shop $p "SELECT status FROM $ledger WHERE batch_name = 'week-redo share 1/3' AND parent_id IS NULL ORDER BY execution_id" | Should -Be @('Failed', 'Succeeded')
            (Shop $p "SELECT status, parameters FROM $ledger WHERE batch_name = 'week-redo share 1/3' AND operation = 'Select-BatchShare' ORDER BY execution_id") -replace ' ', '' |
                Should -Be @('Succeeded|{"Item":"2026-11-24"}', 'Failed|{"Item":"2026-11-27"}', 'Succeeded|{"Item":"2026-11-27"}')
        }
    } -ReportsErrors 5

    'Select-BatchShare' = New-DocFixture -Setup { param($provider) Initialize-BatchDatabase $provider } -Prelude "$connectBatch`n$initializeLedger" -Checks @{
        1 = { param($r) $r.Output | Should -Be @('P_S01', 'P_S04', 'P_S07') }
        2 = {
            param($r, $p)
            $r.Output | Should -Be @('P_S03', 'P_S06')
            Batch $p "SELECT status FROM $(Get-LedgerTable $p batch_executions) WHERE batch_name = 'morning-stock share 2/3'" | Should -Be 'Succeeded'
        }
    }

    'Invoke-DailyAggregate' = New-DocFixture -Setup { param($provider) Initialize-BatchDatabase $provider } -Prelude "$connectBatch`n$initializeLedger" -Before @{
        1 = {
            param($p)
            $yesterdayNoonTokyo = [datetime]::Today.AddDays(-1).AddHours(3).ToString('yyyy-MM-dd HH:mm:ss')   # 12:00 in Tokyo, as UTC
            $table = if ($p -eq 'PostgreSql') { 'batch.staging_orders' } else { 'staging_orders' }
            $id = if ($p -eq 'PostgreSql') { 'gen_random_uuid()' } else { 'UUID()' }
            Batch $p "INSERT INTO $table (id, user_id, amount, status, created_at, updated_at) VALUES ($id, $id, 10.00, 'paid', '$yesterdayNoonTokyo', '$yesterdayNoonTokyo'), ($id, $id, 20.50, 'paid', '$yesterdayNoonTokyo', '$yesterdayNoonTokyo')"
        }
        3 = {
            param($p)
            $table = if ($p -eq 'PostgreSql') { 'batch.staging_orders' } else { 'staging_orders' }
            Batch $p "UPDATE $table SET amount = amount + 100 WHERE created_at = '2026-10-15' AND amount = 101"
        }
        4 = {
            param($p)
            $table = if ($p -eq 'PostgreSql') { 'batch.staging_orders' } else { 'staging_orders' }
            $id = if ($p -eq 'PostgreSql') { 'gen_random_uuid()' } else { 'UUID()' }
            Batch $p "INSERT INTO $table (id, user_id, amount, status, created_at, updated_at) VALUES ($id, $id, 10, 'paid', '2026-11-21 01:00', '2026-11-21 01:00'), ($id, $id, 30, 'paid', '2026-11-21 02:00', '2026-11-21 02:00'), ($id, $id, 5, 'shipped', '2026-11-21 03:00', '2026-11-21 03:00')"
        }
    } -Checks @{
        1 = {
            param($r, $p)
            $prefix = if ($p -eq 'PostgreSql') { 'batch.' } else { '' }
            Batch $p "SELECT order_count, total_sales, average_order_value FROM ${prefix}daily_sales WHERE sale_date = '$([datetime]::Today.AddDays(-1).ToString('yyyy-MM-dd'))'" | Should -Be '2|30.50|15.25'
        }
        2 = { param($r, $p) Batch $p "SELECT COUNT(*) FROM $(if ($p -eq 'PostgreSql') { 'batch.' })daily_sales" | Should -Be '15' }
        3 = { param($r) $r.Output | Should -HaveCount 1; $r.Output[0].Date | Should -Be ([datetime]'2026-10-15') }
        4 = { param($r, $p) Batch $p "SELECT status, orders, revenue, largest FROM $(if ($p -eq 'PostgreSql') { 'batch.' })daily_status WHERE day = '2026-11-21' ORDER BY status" | Should -Be @('paid|2|40.00|30.00', 'shipped|1|5.00|5.00') }
    }

    'New-MonthlyPartition' = New-DocFixture -Setup { param($provider) Initialize-BatchDatabase $provider } -Prelude "$connectBatch`n$initializeLedger" -Checks @{
        1 = {
            param($r, $p, $s)
            $added = @(Get-PremadeMonth 3)
            $r.Output.From | Should -Be $added
            Get-SessionValue $s 'Get-MonthlyPartition staging_orders' | Should -HaveCount (@(Get-StagingMonth).Count + $added.Count)
        }
        2 = { param($r, $p, $s) $r.Output | Should -BeNullOrEmpty; Get-SessionValue $s 'Get-MonthlyPartition staging_orders' | Should -HaveCount (@(Get-StagingMonth).Count + @(Get-PremadeMonth 3).Count) }
        3 = {
            param($r, $p)
            Batch $p "SELECT cron_expression FROM $(Get-LedgerTable $p batch_schedule) WHERE batch_name = 'staging-premake'" | Should -Be '0 3 1 * *'
            Batch $p "SELECT status FROM $(Get-LedgerTable $p batch_executions) WHERE batch_name = 'staging-premake' AND parent_id IS NULL" | Should -Be 'Succeeded'
        }
    }

    'New-WorkTable' = New-DocFixture -Setup { param($provider) Initialize-ShopDatabase $provider } -Prelude $connectShop -Only @{ 2 = 'MySql' } -Checks @{
        1 = { param($r, $p) $r.Output[0].Created | Should -BeTrue; Shop $p 'SELECT COUNT(*) FROM T_STOCK_S01' | Should -Be '0' }
        2 = { param($r) $r.Output.WorkTable | Should -Be @('shop.T_STOCK_P_S01', 'shop.T_STOCK_P_S02', 'shop.T_STOCK_P_S03') }
    }

    'Register-BatchSchedule' = New-DocFixture -Setup { param($provider) Initialize-ShopDatabase $provider } -Prelude "$connectShop`n$initializeLedger" -Checks @{
        1 = { param($r, $p) Shop $p "SELECT cron_expression, time_zone, timeout_minutes FROM $(Get-LedgerTable $p batch_schedule) WHERE batch_name = 'daily-sales'" | Should -Be '0 10 * * 1-5|Asia/Tokyo|30' }
        2 = { param($r) $r.Output[0].Enabled | Should -BeFalse; $r.Output[0].CronExpression | Should -Be '0 2 L * *' }
    }

    'Remove-MonthlyPartition' = New-DocFixture -Setup { param($provider) Initialize-BatchDatabase $provider } -Prelude "$connectBatch`n$initializeLedger" -Only @{ 2 = 'PostgreSql' } -Before @{
        2 = {
            param($p, $f, $s)
            Get-SessionValue $s 'Get-BatchDbConnection | Disconnect-BatchDb' | Out-Null
            Initialize-BatchDatabase PostgreSql
            Get-SessionValue $s (Expand-Placeholder "$connectBatch`n$initializeLedger" PostgreSql) | Out-Null
        }
    } -Checks @{
        1 = {
            param($r, $p, $s)
            # -RetentionMonths 3 keeps this month's partition and the three before it (and every later one).
            $kept = [datetime]::new([datetime]::Today.Year, [datetime]::Today.Month, 1).AddMonths(-3)
            (Get-SessionValue $s 'Get-MonthlyPartition staging_orders').To | Should -Be @(Get-StagingMonth | Where-Object { $_ -ge $kept } | ForEach-Object { $_.AddMonths(1) })
        }
        2 = {
            param($r, $p, $s)
            foreach ($name in 'staging_orders_2025_11', 'staging_orders_2025_12') { Get-Content (Join-Path (Get-SessionValue $s '$PWD.Path') "$name.sql") -Raw | Should -Match "CREATE TABLE batch\.$name" }
            Batch PostgreSql 'SELECT COUNT(*) FROM batch.staging_orders_2025_11' | Should -Be '3'
        }
        3 = {
            param($r, $p, $s)
            (Get-SessionValue $s 'Get-MonthlyPartition staging_orders').To | Where-Object { $_ -le [datetime]'2026-05-01' } | Should -BeNullOrEmpty
            Batch $p "SELECT status FROM $(Get-LedgerTable $p batch_executions) WHERE batch_name = 'staging-retention' AND parent_id IS NULL" | Should -Be 'Succeeded'
        }
    }

    'Start-BatchExecution' = New-DocFixture -Setup { param($provider) Initialize-ShopDatabase $provider } -Prelude "$connectShop`n$initializeLedger" -Checks @{
        1 = {
            param($r, $p)
            Get-WarehouseSum $p 1 | Should -Be $seedAfter
            Shop $p "SELECT status, parameters FROM $(Get-LedgerTable $p batch_executions) WHERE batch_name = 'stock-s01' AND parent_id IS NULL" | Should -Match '^Succeeded\|.*T_STOCK_S01\.csv'
        }
        2 = { param($r, $p, $s) (Get-SessionValue $s '$run').Status | Should -Be 'Running' }
    }

    'Switch-Partition' = New-DocFixture -Setup { param($provider) Initialize-ShopDatabase $provider } -Prelude $connectShop -Before @{
        3 = { param($p, $f, $s) Get-SessionValue $s 'Import-WorkTable T_STOCK P_S03 -Path ./s03.csv' | Out-Null }
    } -Checks @{
        1 = { param($r, $p) Get-WarehouseSum $p 1 | Should -Be $seedAfter; Shop $p 'SELECT SUM(AMOUNT) FROM T_STOCK_S01' | Should -Be $seedBefore }
        2 = { param($r, $p) Get-WarehouseSum $p 1 | Should -Be $seedBefore }
        3 = { param($r, $p) $r.Output[0].Attempts | Should -Be 1; Get-WarehouseSum $p 3 | Should -Be $seedAfter }
        4 = { param($r, $p) $r.Output | Should -BeNullOrEmpty; Get-WarehouseSum $p 1 | Should -Be $seedBefore }
        5 = {
            param($r, $p)
            $r.Output.Partition | Sort-Object | Should -Be $(if ($p -eq 'PostgreSql') { @('p_s01', 'p_s02') } else { @('P_S01', 'P_S02') })
            Get-WarehouseSum $p 1 | Should -Be $seedAfter
            Get-WarehouseSum $p 2 | Should -Be $seedAfter
            if ($p -eq 'PostgreSql') {
                # The imports left the new partitions' statistics to Switch-Partition's one ANALYZE of t_stock, after the last switch.
                Shop $p "SELECT count(DISTINCT tablename) FROM pg_stats WHERE schemaname = 'public' AND tablename IN ('p_s01', 'p_s02') AND NOT inherited" | Should -Be '2'
            }
        }
    }

    'Switch-Table' = New-DocFixture -Setup {
        param($provider)
        Initialize-ShopDatabase $provider
        if ($provider -eq 'PostgreSql') {
            Shop $provider 'CREATE TABLE batch.daily_sales (sale_date date PRIMARY KEY, total_sales numeric(15,2)); CREATE TABLE batch.daily_sales_rebuilt (LIKE batch.daily_sales INCLUDING ALL)'
        } else {
            Initialize-BatchDatabase $provider
        }
    } -Prelude $connectShop -Checks @{
        1 = { param($r, $p) Shop $p 'SELECT ITEM_ID, NAME FROM M_ITEM ORDER BY 1' | Should -Be @('A-1|new apple', 'B-2|new banana', 'C-3|cherry') }
        2 = { param($r, $p) Shop $p 'SELECT ITEM_ID, NAME FROM M_ITEM ORDER BY 1' | Should -Be @('A-1|old apple', 'B-2|old banana') }
        3 = { param($r, $p) Shop $p 'SELECT ITEM_ID, PRICE FROM M_PRICE ORDER BY 1' | Should -Be @('A-1|105.00', 'B-2|82.00', 'C-3|310.00') }
        4 = {
            param($r, $p)
            $r.Output | Should -BeNullOrEmpty
            $tables = if ($p -eq 'PostgreSql') { "SELECT COUNT(*) FROM pg_tables WHERE schemaname = 'batch' AND tablename LIKE 'daily_sales%'" }
                      else { "SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = 'batch' AND TABLE_NAME LIKE 'daily_sales%'" }
            Shop $p $tables | Should -Be '2'
        }
        5 = {
            param($r, $p)
            $r.Output[0].LiveRows | Should -Be 50
            Shop $p 'SELECT STOCKHOUSE_ID, COUNT(*) FROM T_STOCK GROUP BY STOCKHOUSE_ID ORDER BY 1' | Should -Be @(1..5 | ForEach-Object { "$_|10" })
            $partitions = if ($p -eq 'PostgreSql') { "SELECT string_agg(c.relname, ',' ORDER BY c.relname) FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 't_stock'::regclass" }
                          else { "SELECT GROUP_CONCAT(PARTITION_NAME ORDER BY PARTITION_NAME) FROM information_schema.PARTITIONS WHERE TABLE_SCHEMA = 'shop' AND TABLE_NAME = 'T_STOCK'" }
            Shop $p $partitions | Should -Be $(if ($p -eq 'PostgreSql') { 'p_s01,p_s02,p_s03,p_s04,p_s05' } else { 'P_S01,P_S02,P_S03,P_S04,P_S05' })
        }
    }

    'about_BatchDb' = New-DocFixture -Engines MySql -Setup { Initialize-ShopDatabase MySql; Initialize-ShopDatabase PostgreSql } -Checks @{
        1 = { param($r) $r.Output | Where-Object Partition | Should -HaveCount 2; Get-WarehouseSum MySql 1 | Should -Be $seedAfter; Get-WarehouseSum MySql 2 | Should -Be $seedAfter }
        2 = { param($r) Shop PostgreSql 'SELECT item_id, price FROM m_price ORDER BY 1' | Should -Be @('A-1|105.00', 'B-2|82.00', 'C-3|310.00') }
    }
}

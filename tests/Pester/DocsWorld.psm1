# The world the examples in docs/ and README.md assume, built on the throwaway servers:
#  database shop   T_STOCK (seed 002, partitions P_S01..P_S05; on PostgreSQL partition tables p_s01..p_s05),
#                  T_ITEM (partition P_TOKYO), M_ITEM and M_PRICE (plain tables), orders (the online shop's),
#                  and on PostgreSQL schema batch with item_master
#  database batch  staging_orders (monthly RANGE partitions on created_at), daily_sales (PRIMARY KEY sale_date),
#                  daily_status (PRIMARY KEY (day, status)), daily_sales_rebuilt; on PostgreSQL the tables are in
#                  schema batch and the database's search_path starts with batch
#  database analytics (empty)
# and a working folder with the files the examples name.
Set-StrictMode -Version 3.0
Import-Module (Join-Path $PSScriptRoot 'BatchDb.TestHelpers.psm1')

function Initialize-ShopDatabase([string] $Provider) {
    New-TestDatabase $Provider shop
    $csv = Get-TestDataPath 'T_STOCK.csv'
    if ($Provider -eq 'PostgreSql') {
        Invoke-TestSql $Provider -Database shop @"
CREATE TABLE t_stock (stockhouse_id int, item_id char(10), amount int, ver_id char(1), upd_dttm timestamp) PARTITION BY LIST (stockhouse_id);
$((1..5 | ForEach-Object { "CREATE TABLE p_s0$_ PARTITION OF t_stock FOR VALUES IN ($_);" }) -join "`n")
CREATE INDEX idx_no1 ON t_stock (stockhouse_id, item_id);
ALTER TABLE t_stock ADD CONSTRAINT pk_no1 PRIMARY KEY (stockhouse_id, item_id);
\copy t_stock FROM '$csv' (FORMAT csv)
CREATE TABLE m_item (item_id varchar(20) PRIMARY KEY, name varchar(100), price numeric(10,2));
INSERT INTO m_item VALUES ('A-1', 'old apple', 100), ('B-2', 'old banana', 80);
CREATE TABLE m_price (item_id varchar(20) PRIMARY KEY, price numeric(10,2));
INSERT INTO m_price VALUES ('A-1', 100), ('B-2', 80);
CREATE TABLE orders (id uuid PRIMARY KEY, user_id uuid, amount numeric(15,2), status varchar(50), created_at timestamp(6), updated_at timestamp(6));
CREATE INDEX ON orders (updated_at);
INSERT INTO orders SELECT ('00000000-0000-0000-0000-' || lpad(i::text, 12, '0'))::uuid, '10000000-0000-0000-0000-000000000001',
    i * 10.25, CASE WHEN i % 5 = 0 THEN 'test' ELSE 'paid' END,
    timestamp '2026-11-19 22:00' + i * interval '1 hour', timestamp '2026-11-19 22:00' + i * interval '1 hour'
  FROM generate_series(1, 60) i;
CREATE TABLE t_item (area varchar(10), item_id varchar(20), name varchar(100), price int, PRIMARY KEY (area, item_id)) PARTITION BY LIST (area);
CREATE TABLE p_tokyo PARTITION OF t_item FOR VALUES IN ('TOKYO');
CREATE TABLE p_osaka PARTITION OF t_item FOR VALUES IN ('OSAKA');
INSERT INTO t_item VALUES ('TOKYO', 'A-1', 'old', 1), ('TOKYO', 'B-2', 'old', 2), ('OSAKA', 'A-1', 'osaka', 3);
CREATE SCHEMA batch;
CREATE TABLE batch.item_master (item_id varchar(20) PRIMARY KEY, name varchar(100));
INSERT INTO batch.item_master VALUES ('A-1', 'old apple');
ANALYZE;
"@
    } else {
        Invoke-TestSql $Provider -Database shop @"
CREATE TABLE T_STOCK (STOCKHOUSE_ID INT, ITEM_ID CHAR(10), AMOUNT INT, VER_ID CHAR(1), UPD_DTTM DATETIME)
PARTITION BY LIST(STOCKHOUSE_ID) (
  PARTITION P_S01 VALUES IN (1), PARTITION P_S02 VALUES IN (2), PARTITION P_S03 VALUES IN (3),
  PARTITION P_S04 VALUES IN (4), PARTITION P_S05 VALUES IN (5));
CREATE INDEX IDX_NO1 ON T_STOCK (STOCKHOUSE_ID, ITEM_ID);
ALTER TABLE T_STOCK ADD CONSTRAINT PK_NO1 PRIMARY KEY(STOCKHOUSE_ID, ITEM_ID);
LOAD DATA LOCAL INFILE '$csv' INTO TABLE T_STOCK FIELDS TERMINATED BY ',' ENCLOSED BY '"' (STOCKHOUSE_ID, ITEM_ID, AMOUNT, VER_ID, UPD_DTTM);
CREATE TABLE T_ITEM (AREA VARCHAR(10), ITEM_ID VARCHAR(20), NAME VARCHAR(100), PRICE INT, PRIMARY KEY (AREA, ITEM_ID))
PARTITION BY LIST COLUMNS (AREA) (PARTITION P_TOKYO VALUES IN ('TOKYO'), PARTITION P_OSAKA VALUES IN ('OSAKA'));
INSERT INTO T_ITEM VALUES ('TOKYO', 'A-1', 'old', 1), ('TOKYO', 'B-2', 'old', 2), ('OSAKA', 'A-1', 'osaka', 3);
CREATE TABLE M_ITEM (ITEM_ID VARCHAR(20) PRIMARY KEY, NAME VARCHAR(100), PRICE DECIMAL(10,2));
INSERT INTO M_ITEM VALUES ('A-1', 'old apple', 100), ('B-2', 'old banana', 80);
CREATE TABLE M_PRICE (ITEM_ID VARCHAR(20) PRIMARY KEY, PRICE DECIMAL(10,2));
INSERT INTO M_PRICE VALUES ('A-1', 100), ('B-2', 80);
CREATE TABLE orders (id CHAR(36) PRIMARY KEY, user_id CHAR(36), amount DECIMAL(15,2), status VARCHAR(50), created_at DATETIME(6), updated_at DATETIME(6), KEY (updated_at));
INSERT INTO orders
  WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
  SELECT CONCAT('00000000-0000-0000-0001-', LPAD(i, 12, '0')), '10000000-0000-0000-0000-000000000002', i * 10.25,
         IF(i % 5 = 0, 'test', 'paid'), TIMESTAMP('2026-11-19 22:00') + INTERVAL i HOUR, TIMESTAMP('2026-11-19 22:00') + INTERVAL i HOUR
  FROM n;
ANALYZE TABLE T_STOCK, T_ITEM;
"@ | Out-Null
    }
}

# Monthly partitions of staging_orders: November 2025 through December 2026.
function Get-StagingMonth { 0..13 | ForEach-Object { [datetime]::new(2025, 11, 1).AddMonths($_) } }

# The months New-MonthlyPartition -Premake N adds today to the staging months (this month and the N after it, those
# past the last staging month), so that the examples' checks hold whatever the date is.
function Get-PremadeMonth([int] $Premake) {
    $thisMonth = [datetime]::new([datetime]::Today.Year, [datetime]::Today.Month, 1)
    $last = (Get-StagingMonth)[-1]
    0..$Premake | ForEach-Object { $thisMonth.AddMonths($_) } | Where-Object { $_ -gt $last }
}

function Initialize-BatchDatabase([string] $Provider) {
    New-TestDatabase $Provider batch
    $months = Get-StagingMonth
    if ($Provider -eq 'PostgreSql') {
        $partitions = ($months | ForEach-Object { "CREATE TABLE batch.staging_orders_$($_.ToString('yyyy_MM')) PARTITION OF batch.staging_orders FOR VALUES FROM ('$($_.ToString('yyyy-MM-dd'))') TO ('$($_.AddMonths(1).ToString('yyyy-MM-dd'))');" }) -join "`n"
        Invoke-TestSql $Provider -Database batch @"
CREATE SCHEMA batch;
ALTER DATABASE batch SET search_path = batch, public;
CREATE TABLE batch.staging_orders (id uuid, user_id uuid, amount numeric(15,2), status varchar(50), created_at timestamp(6) NOT NULL,
    updated_at timestamp(6), batch_id varchar(50), processed_at timestamp DEFAULT CURRENT_TIMESTAMP) PARTITION BY RANGE (created_at);
$partitions
CREATE INDEX ON batch.staging_orders (id);
CREATE INDEX ON batch.staging_orders (created_at);
CREATE TABLE batch.daily_sales (sale_date date PRIMARY KEY, total_sales numeric(15,2), order_count int, average_order_value numeric(10,2), last_updated timestamp(6));
CREATE TABLE batch.daily_sales_rebuilt (LIKE batch.daily_sales INCLUDING ALL);
CREATE TABLE batch.daily_status (day date, status varchar(50), orders int, revenue numeric(15,2), largest numeric(15,2), PRIMARY KEY (day, status));
INSERT INTO batch.staging_orders (id, user_id, amount, status, created_at, updated_at)
  SELECT gen_random_uuid(), gen_random_uuid(), 100 + m, 'paid', d + interval '14 days', d + interval '14 days'
  FROM unnest(ARRAY[$(($months | ForEach-Object { "date '$($_.ToString('yyyy-MM-dd'))'" }) -join ', ')]) d, generate_series(1, 3) m;
"@
    } else {
        $partitions = ($months | ForEach-Object { "PARTITION p$($_.ToString('yyyy_MM')) VALUES LESS THAN ('$($_.AddMonths(1).ToString('yyyy-MM-dd'))')" }) -join ",`n  "
        Invoke-TestSql $Provider -Database batch @"
CREATE TABLE staging_orders (id CHAR(36), user_id CHAR(36), amount DECIMAL(15,2), status VARCHAR(50), created_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6), batch_id VARCHAR(50), processed_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP, KEY (id), KEY (created_at))
PARTITION BY RANGE COLUMNS (created_at) (
  $partitions);
CREATE TABLE daily_sales (sale_date DATE PRIMARY KEY, total_sales DECIMAL(15,2), order_count INT, average_order_value DECIMAL(10,2), last_updated DATETIME(6));
CREATE TABLE daily_sales_rebuilt LIKE daily_sales;
CREATE TABLE daily_status (day DATE, status VARCHAR(50), orders INT, revenue DECIMAL(15,2), largest DECIMAL(15,2), PRIMARY KEY (day, status));
INSERT INTO staging_orders (id, user_id, amount, status, created_at, updated_at)
  SELECT UUID(), UUID(), 100 + m.i, 'paid', d.d + INTERVAL 14 DAY, d.d + INTERVAL 14 DAY
  FROM ($(($months | ForEach-Object { "SELECT DATE '$($_.ToString('yyyy-MM-dd'))' AS d" }) -join ' UNION ALL ')) d
  CROSS JOIN (SELECT 1 AS i UNION ALL SELECT 2 UNION ALL SELECT 3) m;
"@ | Out-Null
    }
}

# The files the examples load, in a new working folder; returns its path.
function New-ExampleFolder([string] $Path) {
    New-Item -ItemType Directory -Force -Path $Path, (Join-Path $Path 'incoming'), (Join-Path $Path 'out') | Out-Null
    $seed = Get-TestDataPath 'T_STOCK_S01.csv'
    Copy-Item $seed (Join-Path $Path 'T_STOCK_S01.csv')
    Copy-Item (Get-TestDataPath 'T_STOCK.csv') (Join-Path $Path 'T_STOCK.csv')
    Copy-Item $seed (Join-Path $Path 'incoming/T_STOCK_P_S01.csv')
    (Get-Content $seed) -replace '^"1"', '"3"' | Set-Content (Join-Path $Path 's03.csv')
    (Get-Content $seed) -replace '^"1"', '"2"' | Set-Content (Join-Path $Path 'incoming/T_STOCK_P_S02.csv')
    # s02.csv: an extra third field that -Columns skips.
    (Get-Content $seed) -replace '^"1","([^"]*)",', '"2","$1","skip me",' | Set-Content (Join-Path $Path 's02.csv')
    # A Shift_JIS export: a preamble line, a header, ';' between fields, \N for NULL.
    $sjis = [Text.Encoding]::GetEncoding(932)
    [IO.File]::WriteAllText((Join-Path $Path 'items_sjis.csv'),
        "exported 2026-11-30`r`nAREA;ITEM_ID;NAME;PRICE`r`nTOKYO;A-1;りんご;120`r`nTOKYO;B-2;バナナ;\N`r`nTOKYO;C-3;みかん;90`r`n", $sjis)
    Set-Content (Join-Path $Path 'M_ITEM.csv') "A-1,new apple,110`nB-2,new banana,85`nC-3,cherry,300"
    Set-Content (Join-Path $Path 'm_item.csv') "item_id,name,price`nA-1,new apple,110`nB-2,new banana,85`nC-3,cherry,300"
    Set-Content (Join-Path $Path 'M_PRICE.csv') "A-1,105`nB-2,82`nC-3,310"
    Set-Content (Join-Path $Path 'm_price.csv') "item_id,price`nA-1,105`nB-2,82`nC-3,310"
    Set-Content (Join-Path $Path 'item_master.csv') "item_id,name`nA-1,apple`nB-2,banana"
    Set-Content (Join-Path $Path 'Update-DailySales.ps1') 'Invoke-DailyAggregate -Date 2026-11-15 -SourceTable batch.staging_orders -AggregateTable batch.daily_sales -Connection batch'
    Set-Content (Join-Path $Path 'extract.ps1') 'Set-Content -Path ./extracted.txt -Value "extracted"'
    $Path
}

Export-ModuleMember -Function Initialize-ShopDatabase, Initialize-BatchDatabase, New-ExampleFolder, Get-StagingMonth, Get-PremadeMonth

-- The article's T_STOCK on PostgreSQL: each partition is a table (p_s01 … p_s05, so -Partition P_S01 names it as on
-- MySQL); {T_STOCK_CSV} is replaced with the path of T_STOCK.csv.
DROP TABLE IF EXISTS t_stock, t_stock_s01;
CREATE TABLE t_stock (
  stockhouse_id int,
  item_id char(10),
  amount int,
  ver_id char(1),
  upd_dttm timestamp
) PARTITION BY LIST (stockhouse_id);
CREATE TABLE p_s01 PARTITION OF t_stock FOR VALUES IN (1);
CREATE TABLE p_s02 PARTITION OF t_stock FOR VALUES IN (2);
CREATE TABLE p_s03 PARTITION OF t_stock FOR VALUES IN (3);
CREATE TABLE p_s04 PARTITION OF t_stock FOR VALUES IN (4);
CREATE TABLE p_s05 PARTITION OF t_stock FOR VALUES IN (5);
CREATE INDEX idx_no1 ON t_stock (stockhouse_id, item_id);
ALTER TABLE t_stock ADD CONSTRAINT pk_no1 PRIMARY KEY (stockhouse_id, item_id);
\copy t_stock FROM '{T_STOCK_CSV}' (FORMAT csv)
ANALYZE t_stock;

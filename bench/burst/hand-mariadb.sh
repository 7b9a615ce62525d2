#!/usr/bin/env bash
# The morning burst by hand on MariaDB: per warehouse, the mariadb client empties the work table, loads the file into
# it and exchanges it with the partition; all warehouses at once.
# Usage: hand-mariadb.sh TABLE 'partition=work table=file;…' (the mariadb command line in BENCH_CLIENT, the password in MYSQL_PWD)
set -euo pipefail
table=$1
read -ra mariadb <<< "$BENCH_CLIENT"
one() {
  local partition=$1 work=$2 file=$3
  "${mariadb[@]}" -e "TRUNCATE $work; LOAD DATA LOCAL INFILE '$file' INTO TABLE $work FIELDS TERMINATED BY ',' OPTIONALLY ENCLOSED BY '\"'; ALTER TABLE $table EXCHANGE PARTITION $partition WITH TABLE $work"
}
IFS=';' read -ra warehouses <<< "$2"
pids=()
for warehouse in "${warehouses[@]}"; do
  IFS='=' read -r partition work file <<< "$warehouse"
  one "$partition" "$work" "$file" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

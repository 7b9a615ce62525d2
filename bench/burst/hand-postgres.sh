#!/usr/bin/env bash
# The morning burst by hand on PostgreSQL: per warehouse, psql empties the work table and copies the file into it, then
# swaps it in with DETACH, ATTACH and renames in one transaction; all warehouses at once. Partition names end in _sNN,
# the warehouse they hold.
# Usage: hand-postgres.sh TABLE 'partition=work table=file;…' (the psql command line in BENCH_CLIENT, the password in PGPASSWORD)
set -euo pipefail
table=$1
read -ra psql <<< "$BENCH_CLIENT"
one() {
  local partition=$1 work=$2 file=$3
  local warehouse=$((10#${partition##*_s}))
  "${psql[@]}" -c "TRUNCATE $work" -c "\\copy $work FROM '$file' CSV"
  "${psql[@]}" -1 -c "ALTER TABLE $table DETACH PARTITION $partition" -c "ALTER TABLE $table ATTACH PARTITION $work FOR VALUES IN ($warehouse)" \
    -c "ALTER TABLE $partition RENAME TO ${partition}_old" -c "ALTER TABLE $work RENAME TO $partition" -c "ALTER TABLE ${partition}_old RENAME TO $work"
}
IFS=';' read -ra warehouses <<< "$2"
pids=()
for warehouse in "${warehouses[@]}"; do
  IFS='=' read -r partition work file <<< "$warehouse"
  one "$partition" "$work" "$file" &
  pids+=($!)
done
for pid in "${pids[@]}"; do wait "$pid"; done

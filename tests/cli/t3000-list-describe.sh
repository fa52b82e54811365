#!/usr/bin/env bash
# t3000-list-describe: globs ('*' within a name, '**' across directories, captures), list -l,
# describe's fields, and the control file system (the transaction log as entries).
. "$(dirname "$0")/lib.sh"

pond init >/dev/null || { fail "pond init"; done_testing; }

sensor_csv "$TMP/a.csv" 1719792000 120        # 2024-07-01 00:00 .. 01:59
sensor_csv "$TMP/b.csv" 1719799200 60         # 2024-07-01 02:00 .. 02:59
sensor_csv "$TMP/d.csv" 1719792000 10 86400   # ten days
printf 'site,lat\nBDock,38.3\n' >"$TMP/sites.csv"
printf 'hello\n' >"$TMP/readme.txt"

pond mkdir -p "/sites/BDock" "/sites/Silver Lake" /meta >/dev/null
pond copy "$TMP/a.csv" /sites/BDock/res=1h.series >/dev/null
pond copy "$TMP/b.csv" /sites/BDock/res=1h.series >/dev/null
pond copy "$TMP/d.csv" /sites/BDock/res=1d.series >/dev/null
pond copy "$TMP/a.csv" "/sites/Silver Lake/res=1h.series" >/dev/null
pond copy --format table "$TMP/sites.csv" /meta/sites >/dev/null
pond copy "$TMP/readme.txt" /readme.txt >/dev/null

# --- plain listings ------------------------------------------------------------------------
expect_ok pond list
check_eq "list with no pattern lists /" "$(printf '/meta\n/readme.txt\n/sites')" "$(cat "$OUT")"
expect_ok pond list /
check_eq "list / is the same" "$(printf '/meta\n/readme.txt\n/sites')" "$(cat "$OUT")"
expect_ok pond list /sites
check_eq "list DIR lists its children" "$(printf '/sites/BDock\n/sites/Silver Lake')" \
    "$(cat "$OUT")"
expect_ok pond list /readme.txt
check_eq "list FILE lists the file" "/readme.txt" "$(cat "$OUT")"

# --- globs ---------------------------------------------------------------------------------
expect_ok pond list '/sites/*/res=1h.series'
check_eq "'*' matches one name, names with spaces too" \
    "$(printf '/sites/BDock/res=1h.series\n/sites/Silver Lake/res=1h.series')" "$(cat "$OUT")"
expect_ok pond list '/sites/BDock/res=*.series'
check_eq "'*' inside a name" \
    "$(printf '/sites/BDock/res=1d.series\n/sites/BDock/res=1h.series')" "$(cat "$OUT")"
expect_ok pond list '/**/*.series'
check_eq "'**' crosses directories" \
    "$(printf '/sites/BDock/res=1d.series\n/sites/BDock/res=1h.series\n/sites/Silver Lake/res=1h.series')" \
    "$(cat "$OUT")"
expect_ok pond list '/**/readme.txt'
check_eq "'**' matches zero directories" "/readme.txt" "$(cat "$OUT")"
expect_ok pond list '/sites/*'
check_eq "'*' does not cross '/'" "$(printf '/sites/BDock\n/sites/Silver Lake')" "$(cat "$OUT")"
expect_ok pond list '/**'
all=$(cat "$OUT")
for p in /meta /meta/sites /readme.txt /sites /sites/BDock /sites/BDock/res=1d.series \
    "/sites/Silver Lake/res=1h.series"; do
    check_contains "'/**' lists $p" "$all" "$p"
done
check_eq "'/**' lists every entry once" 9 "$(grep -c '^/.' <<<"$all")"
expect_fail 1 "no match for pattern '/sites/*/res=5m.series'" pond list '/sites/*/res=5m.series'
expect_fail 1 "/nope" pond list /nope

# --- captures ------------------------------------------------------------------------------
expect_ok pond describe '/sites/*/res=*.series'
desc=$(cat "$OUT")
check_contains "captures are numbered from 0" "$desc" '$0=BDock $1=1d'
check_contains "a capture may hold a space" "$desc" '$0=Silver Lake $1=1h'
expect_ok pond describe '/**/res=1d.series'
check_contains "'**' captures each directory it passes" "$(cat "$OUT")" '$0=sites $1=BDock'

# --- list -l -------------------------------------------------------------------------------
expect_ok pond list -l '/sites/BDock/*'
long=$(cat "$OUT")
line=$(grep 'res=1h.series' <<<"$long")
read -r type nver size rows txn path <<<"$line"
check_eq "list -l: type" "file:series" "$type"
check_eq "list -l: versions" "2" "$nver"
check_eq "list -l: rows of every version" "180" "$rows"
check_eq "list -l: path" "/sites/BDock/res=1h.series" "$path"
[ "$size" -gt 0 ] 2>/dev/null && pass "list -l: a size in bytes" || fail "list -l: a size" "$size"
[ "$txn" -gt 0 ] 2>/dev/null && pass "list -l: the last txn" || fail "list -l: the last txn" "$txn"
expect_ok pond list -l /
read -r type nver size rows txn path <<<"$(grep '/meta$' "$OUT")"
check_eq "list -l of a directory" "dir - - /meta" "$type $size $rows $path"
read -r type nver size rows txn path <<<"$(grep '/readme.txt$' "$OUT")"
check_eq "list -l of a data file: its bytes, no rows" "file:data 1 6 -" "$type $nver $size $rows"
expect_ok pond list --long /meta
read -r type nver size rows txn path <<<"$(cat "$OUT")"
check_eq "list -l of a table" "file:table 1 1" "$type $nver $rows"

# --- describe ------------------------------------------------------------------------------
expect_ok pond describe /sites/BDock/res=1h.series
desc=$(cat "$OUT")
check_eq "describe starts with the path" "/sites/BDock/res=1h.series" "$(head -n 1 "$OUT")"
check_contains "describe: type" "$desc" "type              file:series"
check_contains "describe: timestamp column" "$desc" "timestamp column  timestamp"
check_contains "describe: schema, timestamp" "$desc" "timestamp      TIMESTAMP"
check_contains "describe: schema, a double" "$desc" "temperature_c  DOUBLE"
check_contains "describe: schema, a string" "$desc" "site           VARCHAR"
check_contains "describe: total rows" "$desc" "total rows        180"
check_contains "describe: time range" "$desc" "time range        2024-07-01T00:00:00Z .. 2024-07-01T02:59:00Z"
v1=$(grep -E '^ +1 +[0-9]+ +120 ' "$OUT")
v2=$(grep -E '^ +2 +[0-9]+ +60 ' "$OUT")
check_contains "describe: version 1 with its time range" "$v1" \
    "2024-07-01T00:00:00Z  2024-07-01T01:59:00Z"
check_contains "describe: version 2 with its time range" "$v2" \
    "2024-07-01T02:00:00Z  2024-07-01T02:59:00Z"
[[ "$v1" =~ [0-9a-f]{12}$ ]] && pass "describe: a sha256 prefix" || fail "describe: a sha256 prefix" "$v1"
expect_ok pond describe '/meta/*'
check_contains "describe of a table" "$(cat "$OUT")" "file:table"
check_contains "describe of a table: rows" "$(cat "$OUT")" "total rows        1"
expect_ok pond describe /readme.txt
check_contains "describe of a data file" "$(cat "$OUT")" "file:data"
expect_ok pond describe '/sites/*/*.series'
check_eq "describe of a pattern describes every match" 3 "$(grep -c '^/' "$OUT")"
expect_fail 1 "no match for pattern '/x/*'" pond describe '/x/*'
expect_fail 2 "no PATTERN" pond describe

# --- the control file system ---------------------------------------------------------------
ntxn=$(pond show | wc -l)
expect_ok pond list -f control '/**'
ctl=$(cat "$OUT")
[ -n "$ctl" ] && pass "list -f control lists the log" || fail "list -f control lists the log"
first=$(pond list -f control '/**' -l | awk '$1 != "dir" { print $NF; exit }')
[ -n "$first" ] && pass "the control file system has file entries" \
    || fail "the control file system has file entries" "$ctl"
expect_ok pond describe -f control "$first"
expect_ok pond cat -f control "$first" --format csv
check_contains "a control entry cats as the log record" "$(cat "$OUT")" "pond"
expect_ok pond --pond "$POND" list --fs control '/**'
check_eq "list --fs control is the same as -f control" "$ctl" "$(cat "$OUT")"
expect_ok pond copy -f control "$first" "host:$TMP/txn.csv"
check_contains "copy -f control copies a log record out" "$(cat "$TMP/txn.csv")" "committed"
expect_fail 2 "bogus" pond list -f bogus
check_eq "reading the control file system wrote no transaction" "$ntxn" "$(pond show | wc -l)"

done_testing

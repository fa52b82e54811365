#!/usr/bin/env bash
# t3600-machine-output: list, describe, show and check with --format csv and json.  Every
# JSON document is parsed (python3's json), every CSV is read back (python3's csv and DuckDB's
# read_csv), and the values are compared with what the pond holds: typed numbers, ISO-8601
# UTC times, nulls where a field does not apply; check keeps its exit status in every format.
. "$(dirname "$0")/lib.sh"

pond init >/dev/null || { fail "pond init"; done_testing; }
pond mkdir -p /sites >/dev/null || fail "mkdir /sites"
sensor_csv "$TMP/jul.csv" 1719792000 60    # 2024-07-01 00:00 .. 00:59 UTC
sensor_csv "$TMP/aug.csv" 1722470400 30    # 2024-08-01 00:00 .. 00:29 UTC
pond copy "$TMP/jul.csv" /sites/BDock.series >/dev/null || fail "copy jul"
pond copy "$TMP/aug.csv" /sites/BDock.series >/dev/null || fail "copy aug"
printf 'site,lat\nBDock,36.9\n' >"$TMP/sites.csv"
pond copy "$TMP/sites.csv" '/sites/meta, "quoted".table' >/dev/null || fail "copy the table"

# py SCRIPT FILE: run python3 on a captured output (the script reads sys.argv[1]).
py() { python3 -c "$1" "$2"; }

# --- list ---------------------------------------------------------------------------------
expect_ok pond list --format json '/**'
check_eq "list json: one array, an object per entry, typed" \
    "/sites dir 0 None None|/sites/BDock.series file:series 2 int 90|/sites/meta, \"quoted\".table file:table 1 int 1" \
    "$(py 'import json,sys
a = json.load(open(sys.argv[1]))
print("|".join("%s %s %d %s %s" % (e["path"], e["type"], e["versions"],
      type(e["size"]).__name__ if e["size"] is not None else None, e["rows"]) for e in a))' "$OUT")"
check_eq "list json: txn is a number" "int" \
    "$(py 'import json,sys; print(type(json.load(open(sys.argv[1]))[1]["txn"]).__name__)' "$OUT")"
expect_ok pond list --format csv '/**'
cp "$OUT" "$TMP/list.csv"
check_eq "list csv: header and quoted fields read back" \
    "path,type,versions,size,rows,txn,target,factory,reads_as,node|/sites/meta, \"quoted\".table|file:table|1" \
    "$(py 'import csv,sys
r = list(csv.reader(open(sys.argv[1])))
print(",".join(r[0]) + "|" + r[3][0] + "|" + r[3][1] + "|" + r[3][2])' "$TMP/list.csv")"
check_eq "list csv: DuckDB reads the rows and types" "3,90,BIGINT" \
    "$(duckq -v f="$TMP/list.csv" "SELECT count(*), max(rows), typeof(max(rows)) FROM read_csv(getvariable('f'))" | tail -n 1)"
expect_ok pond list --format json /sites
check_eq "list json of a directory lists its children" 2 \
    "$(py 'import json,sys; print(len(json.load(open(sys.argv[1]))))' "$OUT")"
expect_ok pond list --format json
check_eq "list json of an empty pattern default" "/sites" \
    "$(py 'import json,sys; print(json.load(open(sys.argv[1]))[0]["path"])' "$OUT")"
expect_fail 1 "no match" pond list --format json '/nothing*'
check_eq "list json with no match: still one document on stdout" "[]" \
    "$(py 'import json,sys; print(json.load(open(sys.argv[1])))' "$OUT")"
expect_fail 2 "unknown format 'xml'" pond list --format xml
expect_fail 2 "unknown format 'parquet'" pond list --format parquet

# --- describe -----------------------------------------------------------------------------
expect_ok pond describe --format json '/sites/*'
cp "$OUT" "$TMP/describe.json"
check_eq "describe json: the series, its versions, times in ISO-8601 UTC" \
    "timestamp 90 2024-07-01T00:00:00Z 2024-08-01T00:29:00Z 2 [60, 30] 2024-07-01T00:59:00Z 64" \
    "$(py 'import json,sys
e = [x for x in json.load(open(sys.argv[1])) if x["path"] == "/sites/BDock.series"][0]
v = e["versions"]
print(e["timestamp_column"], e["total_rows"], e["first_event"], e["last_event"], len(v),
      [x["rows"] for x in v], v[0]["last_event"], len(v[0]["sha256"]))' "$TMP/describe.json")"
check_eq "describe json: the schema, typed" "timestamp:TIMESTAMP temperature_c:DOUBLE site:VARCHAR" \
    "$(py 'import json,sys
e = [x for x in json.load(open(sys.argv[1])) if x["path"] == "/sites/BDock.series"][0]
print(" ".join("%s:%s" % (c["name"], c["type"]) for c in e["schema"]))' "$TMP/describe.json")"
check_eq "describe json: captures of the pattern" "['BDock.series']" \
    "$(py 'import json,sys
print([x for x in json.load(open(sys.argv[1])) if x["path"] == "/sites/BDock.series"][0]["captures"])' "$TMP/describe.json")"
check_eq "describe json: a table has no time range" "None None 1" \
    "$(py 'import json,sys
e = [x for x in json.load(open(sys.argv[1])) if x["type"] == "file:table"][0]
print(e["first_event"], e["versions"][0]["first_event"], e["total_rows"])' "$TMP/describe.json")"
sha=$(sha256sum "$POND/$(cd "$POND" && find data -type f -size +0 | head -n 1)" | cut -c1-64)
check_contains "describe json: the whole sha256 of a content file" "$(cat "$TMP/describe.json")" "$sha"
expect_ok pond describe --format csv /sites/BDock.series
cp "$OUT" "$TMP/describe.csv"
check_eq "describe csv: a record per version, read back by DuckDB" \
    "1,60,2024-07-01 00:00:00,TIMESTAMP|2,30,2024-08-01 00:00:00,TIMESTAMP" \
    "$(duckq -v f="$TMP/describe.csv" "SELECT version, rows, first_event::TIMESTAMP, (schema::JSON->0->>'type') FROM read_csv(getvariable('f')) ORDER BY version" | tail -n +2 | paste -sd'|')"
expect_ok pond describe --format csv /sites
check_eq "describe csv: a directory is one record with empty version fields" \
    "/sites,dir,,,,,,,,,,,dir," "$(tail -n 1 "$OUT")"
expect_fail 2 "unknown format" pond describe --format yaml /sites

# --- show ---------------------------------------------------------------------------------
expect_ok pond show --format json
cp "$OUT" "$TMP/show.json"
check_eq "show json: every transaction, seq numbers, parsed variables" \
    "1 2 3 4|committed|pond copy|dict" \
    "$(py 'import json,sys
a = json.load(open(sys.argv[1]))
print(" ".join(str(t["seq"]) for t in a) + "|" + a[1]["status"] + "|" + " ".join(a[1]["command"].split()[:2])
      + "|" + ("dict" if isinstance(a[1]["variables"], dict) else "?"))' "$TMP/show.json")"
check_eq "show json: times are ISO-8601 UTC and end after start" "ok" \
    "$(py 'import json,sys,datetime
a = json.load(open(sys.argv[1]))
ok = all(t["start_time"].endswith("Z") and
         datetime.datetime.fromisoformat(t["start_time"][:-1]) <= datetime.datetime.fromisoformat(t["end_time"][:-1])
         for t in a)
print("ok" if ok else a)' "$TMP/show.json")"
expect_ok pond show --format csv
cp "$OUT" "$TMP/show.csv"
check_eq "show csv: DuckDB reads seq and the times as typed columns" "4,BIGINT,TIMESTAMP WITH TIME ZONE" \
    "$(duckq -v f="$TMP/show.csv" "SELECT count(*), typeof(max(seq)), typeof(max(start_time)) FROM read_csv(getvariable('f'))" | tail -n 1)"
check_eq "show csv: the variables column is JSON text" "auto" \
    "$(duckq -v f="$TMP/show.csv" "SELECT variables::JSON->>'format' FROM read_csv(getvariable('f')) WHERE seq = 2" | tail -n 1)"

# A command line that is not UTF-8 (an aborted copy of such a file) still gives valid JSON.
pond copy "$TMP/"$'\xff'"x.csv" /sites/nope.series >/dev/null 2>&1
expect_ok pond show --format json
check_contains "show json: bytes that are not UTF-8 become '?'" \
    "$(py 'import json,sys; print(json.load(open(sys.argv[1]))[-1]["command"])' "$OUT")" "?x.csv"

# --- check --------------------------------------------------------------------------------
expect_ok pond check --format json
check_eq "check json of a sound pond: one object" "[] 3 0 0 True None" \
    "$(py 'import json,sys
o = json.load(open(sys.argv[1]))
print(o["findings"], o["versions_checked"], o["problems"], o["orphans"], o["sound"], o["error"])' "$OUT")"
content=$(cd "$POND" && find data -type f -size +0 | head -n 1)
orphan="$(dirname "$POND/$content")/0000000000000000000000000000000000000000000000000000000000000000"
printf 'left by a crash' >"$orphan"
expect_ok pond check --format csv
check_eq "check csv: the orphan and the summary" "orphan|summary" \
    "$(py 'import csv,sys; print("|".join(r[0] for r in list(csv.reader(open(sys.argv[1])))[1:]))' "$OUT")"
expect_ok pond check --format json --repair
check_eq "check json --repair: the removed orphan, counted" "removed 1 1" \
    "$(py 'import json,sys
o = json.load(open(sys.argv[1]))
print(o["findings"][0]["kind"], o["orphans"], o["repaired"])' "$OUT")"
cp "$POND/$content" "$TMP/saved"
chmod u+w "$POND/$content"
printf 'X' | dd of="$POND/$content" bs=1 seek=100 conv=notrunc status=none
expect_fail 1 "problem" pond check --format json
check_eq "check json of a damaged pond: exit 1, the JSON still printed" "problem 1 False" \
    "$(py 'import json,sys
o = json.load(open(sys.argv[1]))
print(o["findings"][0]["kind"], o["problems"], o["sound"])' "$OUT")"
check_contains "check json: the finding names the entry" "$(cat "$OUT")" "/sites/"
expect_fail 1 "problem" pond check --format csv --quiet
check_eq "check csv --quiet: the findings, no summary" "kind,finding|problem" \
    "$(py 'import csv,sys; r = list(csv.reader(open(sys.argv[1]))); print(",".join(r[0]) + "|" + "|".join(x[0] for x in r[1:]))' "$OUT")"
cp "$TMP/saved" "$POND/$content"
expect_ok pond check --format table
check_contains "check --format table is the usual summary" "$(cat "$OUT")" "0 problems, 0 orphans"

# --- a dynamic node: its factory and what it reads as -------------------------------------
printf 'inputs:\n  raw: /sites/BDock.series\nquery: SELECT timestamp, temperature_c FROM raw\n' >"$TMP/f.yaml"
pond mkdir /derived >/dev/null || fail "mkdir /derived"
expect_ok pond mknod sql-derived-series /derived/f.series --config "$TMP/f.yaml"
expect_ok pond list --format json /derived
check_eq "list json: a dynamic node, no size or rows" "dynamic sql-derived-series file:series None None 1" \
    "$(py 'import json,sys
e = json.load(open(sys.argv[1]))[0]
print(e["type"], e["factory"], e["reads_as"], e["size"], e["rows"], e["versions"])' "$OUT")"
expect_ok pond describe --format json /derived/f.series
check_eq "describe json: a dynamic node" "dynamic sql-derived-series file:series None 1" \
    "$(py 'import json,sys
e = json.load(open(sys.argv[1]))[0]
print(e["type"], e["factory"], e["reads_as"], e["schema"], len(e["versions"]))' "$OUT")"

done_testing

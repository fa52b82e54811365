#!/usr/bin/env bash
# t5800-export-update: pond export --update on a real pond: an output whose sources are
# unchanged keeps its files (same inode, mtime and bytes); a version with a new day writes
# that partition only; late rows rewrite their day only; a changed table, a changed data file
# and a removed series; an unchanged pond writes nothing and says so; export_metadata lists
# kept and written files; --dry-run --update; a missing or damaged manifest.
. "$(dirname "$0")/lib.sh"

q() { duckq "$@" | tail -n +2; }
# stats DIR: "path inode mtime sha" of every file, the manifest left out.
stats() {
    (cd "$1" && find . -type f ! -name .pond-export.json ! -path './.pond-staging-*' -printf '%p %i %T@\n' | sort |
        while read -r f i m; do echo "$f $i $m $(sha256sum <"$f" | cut -c1-16)"; done)
}
# changed BEFORE AFTER: the paths whose line differs or that appeared or went.
changed() { diff <(echo "$1") <(echo "$2") | grep '^[<>]' | awk '{print $1, $2}' | sort -u -k2 | awk '{print $2}' | sort -u; }

expect_ok pond init
# minute data from 2024-07-01, three days, two sites
sensor_csv "$TMP/a.csv" 1719792000 4320 60
sensor_csv "$TMP/new-day.csv" 1720051200 1440 60  # 2024-07-04
sensor_csv "$TMP/late.csv" 1719878460 5 60        # 2024-07-02 00:01 … (late rows)
pond mkdir -p /sites/A /sites/B >/dev/null
expect_ok pond copy "$TMP/a.csv" /sites/A/res=1m.series
expect_ok pond copy "$TMP/a.csv" /sites/B/res=1m.series
printf 'site,lat\nA,39.4\n' >"$TMP/info.csv"
expect_ok pond copy "$TMP/info.csv" /sites/A/info.table
printf 'notes v1\n' >"$TMP/notes.txt"
expect_ok pond copy --format data "$TMP/notes.txt" /sites/A/notes.txt

D=$TMP/out
expect_ok pond export -p '/sites/*/res=1m.series' -d "$D" --capture-names site --temporal year,month,day
check_eq "the manifest is written" 1 "$([ -f "$D/.pond-export.json" ] && echo 1 || echo 0)"
check_contains "the manifest lists the series" "$(cat "$D/.pond-export.json")" '"source": "/sites/A/res=1m.series"'

# --- without --update: refused, naming --update ------------------------------------------------
expect_fail 1 "use --update to bring it up to date, or --overwrite to replace it" \
    pond export -p '/sites/*/res=1m.series' -d "$D" --capture-names site --temporal year,month,day

upd=(export -p '/sites/*/res=1m.series' -d "$D" --capture-names site --temporal year,month,day --update)
# --- unchanged pond: nothing written -----------------------------------------------------------
S0=$(stats "$D")
M0=$(stat -c '%i %Y' "$D/.pond-export.json")
sleep 1.1 # mtimes would show a rewrite
expect_ok pond "${upd[@]}" --dump-tables "$TMP/t0"
check_eq "unchanged: the manifest is not even replaced" "$M0" "$(stat -c '%i %Y' "$D/.pond-export.json")"
check_contains "unchanged: says it wrote nothing" "$(cat "$ERR")" "wrote 0 files"
check_contains "unchanged: and that DIR is up to date" "$(cat "$ERR")" "'$D' is up to date: nothing written"
check_contains "unchanged: and kept every file" "$(cat "$ERR")" "kept 6 files unchanged (2 outputs whole"
check_eq "unchanged: every file keeps inode, mtime and bytes" "$S0" "$(stats "$D")"
m="read_parquet(getvariable('m'))"
check_eq "unchanged: export_metadata lists all 6 files, none written" "6 0 8640" \
    "$(q -v m="$TMP/t0/export_metadata.parquet" "SELECT count(*) || ' ' || count(*) FILTER (WHERE written) || ' ' || sum(row_count) FROM $m")"

# --- a version with a new day: that partition only ---------------------------------------------
expect_ok pond copy "$TMP/new-day.csv" /sites/A/res=1m.series
expect_ok pond "${upd[@]}" --dump-tables "$TMP/t1"
S1=$(stats "$D")
check_eq "new day: only A's 2024-07-04 is written" "./site=A/year=2024/month=7/day=4/data.parquet" \
    "$(changed "$S0" "$S1")"
check_eq "new day: export_metadata has 7 files, 1 written, with their rows" "7 1 1440 10080" \
    "$(q -v m="$TMP/t1/export_metadata.parquet" "SELECT count(*) || ' ' || count(*) FILTER (WHERE written) || ' ' || sum(row_count) FILTER (WHERE written) || ' ' || sum(row_count) FROM $m")"
check_eq "new day: row counts match the files" "0" \
    "$(q -v m="$TMP/t1/export_metadata.parquet" -v d="$D" "SELECT count(*) FROM $m e JOIN (SELECT filename, count(*) n FROM read_parquet(getvariable('d') || '/**/*.parquet', filename=true, hive_partitioning=false) GROUP BY 1) f ON f.filename = getvariable('d') || '/' || e.file_path WHERE f.n <> e.row_count")"

# --- late rows into an old day: that day only --------------------------------------------------
expect_ok pond copy "$TMP/late.csv" /sites/B/res=1m.series
expect_ok pond "${upd[@]}"
S2=$(stats "$D")
check_eq "late rows: only B's 2024-07-02 is rewritten" "./site=B/year=2024/month=7/day=2/data.parquet" \
    "$(changed "$S1" "$S2")"
check_eq "late rows: B's day 2 has its 1440 + 5 rows" "1445" \
    "$(q -v d="$D" "SELECT count(*) FROM read_parquet(getvariable('d') || '/site=B/year=2024/month=7/day=2/*.parquet')")"

# --- the same as a full export -----------------------------------------------------------------
expect_ok pond export -p '/sites/*/res=1m.series' -d "$TMP/full" --capture-names site --temporal year,month,day
check_eq "updated DIR has the files of a full export" \
    "$(cd "$TMP/full" && find . -type f ! -name .pond-export.json | sort)" "$(cd "$D" && find . -type f ! -name .pond-export.json | sort)"
check_eq "…and the same rows" "0" \
    "$(q -v a="$TMP/full" -v b="$D" "SELECT count(*) FROM (FROM read_parquet(getvariable('a') || '/**/*.parquet') EXCEPT ALL FROM read_parquet(getvariable('b') || '/**/*.parquet'))")"


# --- --dry-run --update: what would be written, nothing written --------------------------------
expect_ok pond copy "$TMP/new-day.csv" /sites/B/res=1m.series
M2=$(cat "$D/.pond-export.json")
expect_ok pond "${upd[@]}" --dry-run
check_contains "dry run: lists the one partition it would write" "$(cat "$OUT")" \
    "site=B/year=2024/month=7/day=4/data.parquet"
check_eq "dry run: lists nothing else" 1 "$(grep -c 'data.parquet' "$OUT")"
check_contains "dry run: says what it would keep" "$(cat "$ERR")" "kept 7 files unchanged"
check_eq "dry run: no file changed" "$S2" "$(stats "$D")"
check_eq "dry run: the manifest is unchanged" "$M2" "$(cat "$D/.pond-export.json")"
expect_ok pond "${upd[@]}"
S3=$(stats "$D")
check_eq "after the dry run, the same partition is written" "./site=B/year=2024/month=7/day=4/data.parquet" \
    "$(changed "$S2" "$S3")"

# --- a series the export no longer makes: its outputs are removed --------------------------------
R=$TMP/two
expect_ok pond export -p /sites/A/res=1m.series -p /sites/B/res=1m.series -d "$R" --temporal year,month,day
R0=$(stats "$R")
expect_ok pond export -p /sites/A/res=1m.series -d "$R" --temporal year,month,day --update
check_contains "removed series: reported" "$(cat "$ERR")" "removing 1 output no longer made"
check_eq "removed series: B's files are gone, A's are kept as they were" \
    "$(echo "$R0" | grep '^./sites/A/')" "$(stats "$R")"
check_eq "removed series: its directory is gone" 0 "$([ -e "$R/sites/B" ] && echo 1 || echo 0)"
check_eq "removed series: not in the manifest" "" "$(grep '/sites/B/' "$R/.pond-export.json" || true)"
R1=$(stats "$R")
expect_ok pond export -p /sites/B/res=1m.series -d "$R" --temporal year,month,day --update --dry-run
check_contains "dry run: names the output it would remove" "$(cat "$ERR")" "would remove $R/sites/A/res=1m"
check_contains "…and counts it" "$(cat "$ERR")" "would remove 1 output no longer made"
check_eq "…and removes nothing" "$R1" "$(stats "$R")"

# --- another time zone: the dirty day is the local one ------------------------------------------
Z=$TMP/la
la=(export -p /sites/A/res=1m.series -d "$Z" --temporal year,month,day --timezone America/Los_Angeles)
expect_ok pond "${la[@]}"
Z0=$(stats "$Z")
printf 'timestamp,temperature_c,site\n2024-07-05 06:59:00,1.5,A\n' >"$TMP/la.csv" # 23:59 on the 4th in LA
expect_ok pond copy "$TMP/la.csv" /sites/A/res=1m.series
expect_ok pond "${la[@]}" --update
check_eq "time zone: only the local day 2024-07-04 is rewritten" "./sites/A/res=1m/year=2024/month=7/day=4/data.parquet" \
    "$(changed "$Z0" "$(stats "$Z")")"

# --- by minute across the end of summer time: a version inside the repeated local hour ------------
# 2024-11-03 in Los Angeles: 01:00-01:59 happens twice (08:00-08:59 UTC in PDT, 09:00-09:59 in
# PST).  The version's first and last instants are at local 01:30 and 01:20; it also holds 01:55.
# A minute partition there is two stretches of time: by minute outside UTC, --update writes a
# changed series whole.
W=$TMP/dst
pond mkdir -p /dst >/dev/null
sensor_csv "$TMP/dst.csv" 1730617200 240 60 # 07:00-10:59 UTC
expect_ok pond copy "$TMP/dst.csv" /dst/x.series
dst=(export -p /dst/x.series --temporal year,month,day,hour,minute --timezone America/Los_Angeles)
expect_ok pond "${dst[@]}" -d "$W"
printf 'timestamp,temperature_c,site\n2024-11-03 08:30:00,1.5,A\n2024-11-03 08:55:00,2.5,A\n2024-11-03 09:20:00,3.5,A\n' >"$TMP/dst2.csv"
expect_ok pond copy "$TMP/dst2.csv" /dst/x.series
expect_ok pond "${dst[@]}" -d "$W" --update
check_contains "repeated hour: the series is written whole" "$(cat "$ERR")" "wrote 180 files (243 rows)"
expect_ok pond "${dst[@]}" -d "$TMP/dst-full"
check_eq "repeated hour: local 01:55 has its new row" "3" \
    "$(q -v f="$W/dst/x/year=2024/month=11/day=3/hour=1/minute=55" "SELECT count(*) FROM read_parquet(getvariable('f') || '/*.parquet')")"
check_eq "repeated hour: the update holds the rows of a full export" "0" \
    "$(q -v a="$TMP/dst-full" -v b="$W" "SELECT (SELECT count(*) FROM (FROM read_parquet(getvariable('a') || '/**/*.parquet') EXCEPT ALL FROM read_parquet(getvariable('b') || '/**/*.parquet'))) + (SELECT count(*) FROM (FROM read_parquet(getvariable('b') || '/**/*.parquet') EXCEPT ALL FROM read_parquet(getvariable('a') || '/**/*.parquet')))")"

# …by hour the repeated hour is one partition of two hours (08:00-10:00 UTC): written in part.
H=$TMP/dst-hour
dsth=(export -p /dst/x.series --temporal year,month,day,hour --timezone America/Los_Angeles)
expect_ok pond "${dsth[@]}" -d "$H"
H0=$(stats "$H")
printf 'timestamp,temperature_c,site\n2024-11-03 09:40:00,4.5,A\n' >"$TMP/dst3.csv"
expect_ok pond copy "$TMP/dst3.csv" /dst/x.series
expect_ok pond "${dsth[@]}" -d "$H" --update
check_eq "repeated hour by hour: only local hour 1 is rewritten" \
    "./dst/x/year=2024/month=11/day=3/hour=1/data.parquet" "$(changed "$H0" "$(stats "$H")")"
check_eq "…with both passes' rows (120 + 3 + 1)" "124" \
    "$(q -v f="$H/dst/x/year=2024/month=11/day=3/hour=1" "SELECT count(*) FROM read_parquet(getvariable('f') || '/*.parquet')")"

# --- a version the manifest lists and the pond has not (lost): its partitions are written again
# from what is left, and one left without rows is removed.  (pond never drops a version, so the
# manifest is edited to list a version 2 of 2024-07-05 with its partition.)
L=$TMP/lost
expect_ok pond mkdir -p /lost
expect_ok pond copy "$TMP/a.csv" /lost/x.series
expect_ok pond export -p /lost/x.series -d "$L" --temporal year,month,day
mkdir -p "$L/lost/x/year=2024/month=7/day=5"
cp "$L/lost/x/year=2024/month=7/day=1/data.parquet" "$L/lost/x/year=2024/month=7/day=5/data.parquet"
python3 -c '
import json, sys
p = sys.argv[1]
m = json.load(open(p))
o = m["outputs"][0]
o["versions"].append({"version": 2, "sha256": "e" * 64, "min_time": 1720137600000000, "max_time": 1720223940000000})
o["files"].append({"name": "year=2024/month=7/day=5/data.parquet", "key": 19909, "start_time": 1720137600000, "end_time": 1720224000000, "row_count": 1440})
json.dump(m, open(p, "w"))' "$L/.pond-export.json"
L0=$(stats "$L")
expect_ok pond export -p /lost/x.series -d "$L" --temporal year,month,day --update --dry-run
check_contains "lost version, dry run: names the partition it would remove" "$(cat "$ERR")" \
    "would remove $L/lost/x/year=2024/month=7/day=5"
expect_ok pond export -p /lost/x.series -d "$L" --temporal year,month,day --update
check_contains "lost version: the partition is removed" "$(cat "$ERR")" "removing 1 partition"
check_eq "lost version: day 5 is gone, days 1-3 kept as they were" \
    "$(echo "$L0" | grep -v day=5)" "$(stats "$L")"
check_eq "lost version: its directory too" 0 "$([ -e "$L/lost/x/year=2024/month=7/day=5" ] && echo 1 || echo 0)"
check_eq "lost version: the manifest lists version 1 and three files" "1 3" \
    "$(python3 -c 'import json, sys; o = json.load(open(sys.argv[1]))["outputs"][0]; print(len(o["versions"]), len(o["files"]))' "$L/.pond-export.json")"

# --- a table and a data file: rewritten when they change, else kept -----------------------------
E=$TMP/flat
flat=(export -p /sites/A/info.table -p /sites/A/notes.txt -d "$E")
expect_ok pond "${flat[@]}"
F0=$(stats "$E")
expect_ok pond "${flat[@]}" --update
check_eq "table and data file unchanged: kept" "$F0" "$(stats "$E")"
printf 'site,lat\nA,39.5\n' >"$TMP/info2.csv"
expect_ok pond copy "$TMP/info2.csv" /sites/A/info.table
expect_ok pond "${flat[@]}" --update
F1=$(stats "$E")
check_eq "a version that changes the table: only its file is rewritten" "./sites/A/info/data.parquet" \
    "$(changed "$F0" "$F1")"
check_eq "…with the new rows" "39.5" "$(q -v f="$E/sites/A/info/data.parquet" "SELECT lat FROM read_parquet(getvariable('f'))")"
expect_ok pond copy --format data "$TMP/notes.txt" /sites/A/notes.txt # same bytes again
expect_ok pond "${flat[@]}" --update
check_eq "a data file version with the same sha256: not copied again" "$F1" "$(stats "$E")"
printf 'notes v2\n' >"$TMP/notes.txt"
expect_ok pond copy --format data "$TMP/notes.txt" /sites/A/notes.txt
expect_ok pond "${flat[@]}" --update
check_eq "a data file whose sha256 changed: copied again" "./sites/A/notes/notes.txt" "$(changed "$F1" "$(stats "$E")")"
check_eq "…with its new bytes" "notes v2" "$(cat "$E/sites/A/notes/notes.txt")"

# --- manifest missing or damaged -----------------------------------------------------------------
F2=$(stats "$E")
mv "$E/.pond-export.json" "$TMP/manifest.json"
expect_fail 1 "has no export manifest (.pond-export.json)" pond "${flat[@]}" --update
check_contains "missing manifest: the message says what to do" "$(cat "$ERR")" "add --overwrite to write everything"
check_eq "missing manifest: DIR as it was" "$F2" "$(stats "$E")"
printf '{"pond_export_manifest": 1, "outputs": [{"path": 3}]}' >"$E/.pond-export.json"
expect_fail 1 "export manifest '$E/.pond-export.json' is damaged: output 1: 'path' is missing or not a string" \
    pond "${flat[@]}" --update
check_eq "damaged manifest: DIR as it was" "$F2" "$(stats "$E")"
expect_ok pond "${flat[@]}" --update --overwrite
check_contains "damaged manifest with --overwrite: says it writes everything" "$(cat "$ERR")" \
    "writing everything (--overwrite)"
check_eq "…and writes every file again" "$(echo "$F2" | awk '{print $1}')" "$(changed "$F2" "$(stats "$E")")"
expect_ok pond "${flat[@]}" --update
check_contains "…leaving a good manifest" "$(cat "$ERR")" "kept 2 files unchanged"

done_testing

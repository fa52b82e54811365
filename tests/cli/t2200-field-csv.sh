#!/usr/bin/env bash
# t2200-field-csv: pond copy of a real-looking logger CSV: preamble lines (--skip), ';'
# (--delimiter), a decimal comma (--decimal-separator), 'NA' for missing values (--null),
# day-first times (--timestamp-format) and gzip.  Read back with pond cat: types and values.
# The errors name the line, and a failed copy leaves the pond unchanged.
. "$(dirname "$0")/lib.sh"

pond init >/dev/null || { fail "pond init"; done_testing; }

# A logger export: three preamble lines (one with an unbalanced quote, one blank), a header,
# 144 rows (a day, one every ten minutes) with every seventh temperature missing, a quoted
# note holding the delimiter, and CRLF line ends as such loggers write them.
logger_csv() {
    awk -v n=144 'BEGIN {
        printf "Logger \"BDock-3 export\r\n"
        printf "\r\n"
        printf "Serial;4711;Firmware 2.1\r\n"
        printf "Datum;Temperatur;Feuchte;Notiz\r\n"
        for (i = 0; i < n; i++) {
            t = 1721455200 + i * 600   # 2024-07-20 06:00 UTC
            temp = (i % 7 == 3) ? "NA" : sprintf("%d,%02d", 15 + int(i / 10), i % 100)
            note = (i == 5) ? "\"door; open\"" : (i % 2 ? "ok" : "")
            printf "%s;%s;%d,5;%s\r\n", strftime("%d.%m.%Y %H:%M", t, 1), temp, 40 + i % 20, note
        }
    }'
}
logger_csv >"$TMP/logger.csv"
gzip -c "$TMP/logger.csv" >"$TMP/logger.csv.gz"
opts=(--skip 3 --delimiter ';' --decimal-separator , --null NA --timestamp-format '%d.%m.%Y %H:%M')

# --- the gzip file, every option -----------------------------------------------------------
expect_ok pond copy "${opts[@]}" "$TMP/logger.csv.gz" /BDock.series
expect_ok pond describe --format json /BDock.series
check_eq "the types: day-first times are TIMESTAMP, decimal commas and NA are DOUBLE" \
    "Datum Datum:TIMESTAMP Temperatur:DOUBLE Feuchte:DOUBLE Notiz:VARCHAR 144 2024-07-20T06:00:00Z 2024-07-21T05:50:00Z" \
    "$(python3 -c 'import json,sys
e = json.load(open(sys.argv[1]))[0]
print(e["timestamp_column"], " ".join("%s:%s" % (c["name"], c["type"]) for c in e["schema"]),
      e["total_rows"], e["first_event"], e["last_event"])' "$OUT")"
expect_ok pond cat /BDock.series --format csv --sql \
    "SELECT count(*) AS n, count(Temperatur) AS temps, round(sum(Temperatur), 2) AS s, max(Feuchte) AS h FROM series"
expected=$(awk -F';' 'NR > 4 { n++; if ($2 != "NA") { c++; gsub(",", ".", $2); s += $2 } } END { printf "%d,%d,%.2f,59.5", n, c, s }' "$TMP/logger.csv")
check_eq "the values: rows, NA as NULL, decimal commas summed" "n,temps,s,h
$expected" "$(cat "$OUT")"
expect_ok pond cat /BDock.series --format json --sql \
    "SELECT * FROM series WHERE Datum IN ('2024-07-20 06:30:00', '2024-07-20 06:50:00') ORDER BY Datum"
check_eq "json: NA is null, 15,03 is the number 15.03, the quoted note keeps its ';'" \
    "None 15.05 door; open 45.5" \
    "$(python3 -c 'import json,sys
a = json.load(open(sys.argv[1]))
print(a[0]["Temperatur"], a[1]["Temperatur"], a[1]["Notiz"], a[1]["Feuchte"])' "$OUT")"

# --- the same file uncompressed: the same content -------------------------------------------
expect_ok pond copy "${opts[@]}" "$TMP/logger.csv" /plain.series
a=$(pond cat /BDock.series --format csv)
b=$(pond cat /plain.series --format csv)
check_eq "gzip and plain read the same" "$a" "$b"
# What DuckDB's own reader gives for the file, by the same options, is what pond stored.
check_eq "pond's rows equal DuckDB's read_csv with the same options" \
    "$(duckq -v f="$TMP/logger.csv.gz" "SELECT count(*), count(Temperatur), round(sum(Temperatur), 2), min(Datum) FROM read_csv(getvariable('f'), skip = 3, delim = ';', decimal_separator = ',', nullstr = ['NA', ''], timestampformat = '%d.%m.%Y %H:%M', header = true)")" \
    "$(pond cat /plain.series --format csv --sql "SELECT count(*) AS \"count_star()\", count(Temperatur) AS \"count(Temperatur)\", round(sum(Temperatur), 2) AS \"round(sum(Temperatur), 2)\", min(Datum) AS \"min(Datum)\" FROM series")"

# --- a tab-separated file: --delimiter tab ---------------------------------------------------
printf 'timestamp\tv\tw\n2024-07-20 06:00:00\t1,5\t-\n2024-07-20 06:10:00\t-\t2\n' >"$TMP/tab.tsv"
expect_ok pond copy --delimiter tab --decimal-separator , --null - "$TMP/tab.tsv" /tab.series
expect_ok pond cat /tab.series --format json
check_eq "tab: typed values, '-' as NULL" "[1.5, None] [None, 2]" \
    "$(python3 -c 'import json,sys; a = json.load(open(sys.argv[1])); print([r["v"] for r in a], [r["w"] for r in a])' "$OUT")"

# --- a table, and the transaction log records the options ---------------------------------
expect_ok pond copy "${opts[@]}" "$TMP/logger.csv.gz" /raw.table
expect_ok pond show --format json
check_eq "the transaction's variables hold the CSV options" \
    "; , ['NA'] 3 %d.%m.%Y %H:%M" \
    "$(python3 -c 'import json,sys
v = json.load(open(sys.argv[1]))[-1]["variables"]
print(v["delimiter"], v["decimal_separator"], v["null"], v["skip"], v["timestamp_format"])' "$OUT")"

# --- without the options the file is refused, naming the line ----------------------------
state=$(pond_state)
# (the preamble's open quote runs on to line 3, where the record ends with 3 fields)
expect_fail 1 "line 3: expected 1 field, found 3" pond copy "$TMP/logger.csv.gz" /nope.series
check_contains "the error names the file" "$(cat "$ERR")" "logger.csv.gz"
# (one line skipped: the blank line is passed over, the serial line is taken as the header)
expect_fail 1 "line 4: expected 3 fields, found 4" pond copy --skip 1 --delimiter ';' "$TMP/logger.csv" /nope.series
expect_fail 1 "no header line after the 300 skipped lines" pond copy --skip 300 "$TMP/logger.csv" /nope.series
# Without --decimal-separator, 21,5 is text: a table keeps it, nothing is lost.
expect_ok pond copy --skip 3 --delimiter ';' --null NA --timestamp-format '%d.%m.%Y %H:%M' "$TMP/logger.csv" /text.table
expect_ok pond cat /text.table --format csv --sql "SELECT typeof(Temperatur) AS t, Temperatur FROM series LIMIT 1"
check_eq "without the decimal comma the column stays text" "t,Temperatur
VARCHAR,\"15,00\"" "$(cat "$OUT")"
expect_ok pond copy --skip 3 --delimiter ';' --decimal-separator , --timestamp-format '%d.%m.%Y %H:%M' "$TMP/logger.csv" /na.table
expect_ok pond cat /na.table --format csv --sql "SELECT typeof(Temperatur) AS t FROM series LIMIT 1"
check_eq "without --null NA the column with NA stays text" "t
VARCHAR" "$(cat "$OUT")"
state=$(pond_state)

# A time that does not match the format, in a series: the line is named, nothing changes.
awk 'NR == 60 { sub(/^[0-9.]+ /, "2024-07-20T"); } { print }' "$TMP/logger.csv" >"$TMP/badtime.csv"
expect_fail 1 "Line: 60" pond copy "${opts[@]}" "$TMP/badtime.csv" /BDock.series
check_contains "the bad time is quoted" "$(cat "$ERR")" "Datum"
expect_fail 1 "Line: 60" pond copy "${opts[@]}" --timestamp-column Datum "$TMP/badtime.csv" /new.series
expect_fail 1 "timestamp format" pond copy "${opts[@]}" "$TMP/badtime.csv" /new.series
# A broken record after the preamble: the checker's line counts the skipped lines.
awk 'NR == 100 { sub(/\r$/, ";extra\r") } { print }' "$TMP/logger.csv" | gzip -c >"$TMP/extra.csv.gz"
expect_fail 1 "line 100: expected 4 fields, found 5" pond copy "${opts[@]}" "$TMP/extra.csv.gz" /BDock.series
# A gzip file cut short.
head -c 600 "$TMP/logger.csv.gz" >"$TMP/cut.csv.gz"
expect_fail 1 "cut.csv.gz" pond copy "${opts[@]}" "$TMP/cut.csv.gz" /cut.series
check_contains "a cut gzip file: the reason" "$(cat "$ERR")" "gzip"
expect_unchanged "failed copies" "$state"

# --- option errors --------------------------------------------------------------------------
expect_fail 2 "one ASCII character" pond copy --delimiter ';;' "$TMP/logger.csv" /x.series
expect_fail 1 "the delimiter is one ASCII character" pond copy --delimiter '"' "$TMP/logger.csv" /x.series
expect_fail 2 "'.' or ','" pond copy --decimal-separator ';' "$TMP/logger.csv" /x.series
expect_fail 2 "number of lines" pond copy --skip -1 "$TMP/logger.csv" /x.series
expect_fail 2 "number of lines" pond copy --skip 3x "$TMP/logger.csv" /x.series
expect_fail 1 "cannot also be the delimiter" pond copy --delimiter , --decimal-separator , "$TMP/logger.csv" /x.series
expect_fail 1 "null string" pond copy --delimiter ';' --null 'a;b' "$TMP/logger.csv" /x.series
expect_fail 1 "CSV options apply to tables and series" pond copy --skip 3 "$TMP/logger.csv" /logger.csv
expect_fail 2 "apply to copying into the pond" pond copy --skip 3 /BDock.series "host:$TMP/out.csv"
expect_unchanged "refused options" "$state"
expect_ok pond copy --help
check_contains "--help names the CSV options" "$(cat "$OUT")" "--timestamp-format FMT"

done_testing

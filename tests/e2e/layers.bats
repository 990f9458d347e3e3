#!/usr/bin/env bats
#
# The case database is opaque (docs/ARCHITECTURE.md, "The case database
# layer"): only the db layer's files use SQLite or see struct irk_db's
# fields; grep over the sources is the oracle.
load helpers

# The db layer: analyzer/db*.c and the two findings modules.
db_layer() {
	case "$(basename "$1")" in
	db*.c|db*.h|findings.c|findings_list.c) return 0 ;;
	esac
	return 1
}

@test "layers: no analyzer file outside the db layer uses sqlite3" {
	cd "$IRKIT_SRC"
	bad=
	for f in $(grep -l 'sqlite3' analyzer/*.c analyzer/*.h analyzer/records/*.c analyzer/records/*.h); do
		db_layer "$f" || bad="$bad $f"
	done
	echo "outside the db layer:$bad"
	[ -z "$bad" ]
	# and the layer is not empty: the check sees the files it should
	grep -q 'sqlite3_open_v2' analyzer/db.c
}

@test "layers: struct irk_db is defined only in db_priv.h, which only the db layer includes" {
	cd "$IRKIT_SRC"
	[ "$(grep -l '^struct irk_db {' analyzer/*.h analyzer/*.c | tr '\n' ' ')" = "analyzer/db_priv.h " ]
	bad=
	for f in $(grep -l '#include "db_priv.h"' analyzer/*.c analyzer/*.h analyzer/records/*.c tests/unit/*.c tests/fuzz/*.c); do
		db_layer "$f" || bad="$bad $f"
	done
	echo "includes db_priv.h outside the db layer:$bad"
	[ -z "$bad" ]
	# no command reaches into the handle
	! grep -n -- '->h\b' analyzer/cmd_*.c analyzer/out_util.c analyzer/report_*.c || false
}

#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# The scale-out recipes (docs/scale-out.md, docs/scale-out/): irkit-shard
# through GNU parallel (-j 2, a job log so a rerun does only what failed)
# and through a real Slurm job array on a one-node cluster started here
# (tests/e2e/slurm-cluster.sh: munged, slurmctld, slurmd as root, no
# systemd), each followed by 'irkit-analyze merge'.
#
# Inputs made here: three collections of fake hosts (irkit-collect
# --root), a folder holding a Linux root, two ext4 images (mkfs.ext4 -d).
# Oracles: the same inputs loaded by one process into one case, and each
# input loaded alone, compared row by row by content (case_norm.py over
# sqlite3, ids left out); GNU parallel's own job log.  The ssh recipe
# runs for real with a local shell in place of ssh (PARALLEL_SSH: rsync
# sends and brings back through it, the jobs run in another "home"), and
# its command lines are checked with --dry-run -vv.
load helpers

NORM=$IRKIT_SRC/tests/e2e/case_norm.py
CLUSTER=$IRKIT_SRC/tests/e2e/slurm-cluster.sh
SO=$IRKIT_SRC/docs/scale-out

# make_root DIR HOST: a small Linux root named HOST, with a service, cron
# lines, accounts and a payload the test rule matches (on h1, h2, img1)
make_root() {
	local r=$1
	mkdir -p "$r"/etc/systemd/system/multi-user.target.wants "$r"/etc/cron.d \
		"$r"/usr/bin "$r"/var/spool/cron/crontabs "$r"/home/alice "$r"/tmp
	printf '%s\n' "$2" >"$r"/etc/hostname
	printf '%s\n' "$(printf '%s' "$2" | sha256sum | cut -c1-32)" >"$r"/etc/machine-id
	printf 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n' >"$r"/etc/os-release
	printf 'root:x:0:0:root:/root:/bin/bash\nalice:x:1000:1000::/home/alice:/bin/bash\n' \
		>"$r"/etc/passwd
	printf 'root:x:0:\nalice:x:1000:\n' >"$r"/etc/group
	printf '[Unit]\nDescription=updater on %s\n[Service]\nExecStart=/usr/bin/updater\n[Install]\nWantedBy=multi-user.target\n' \
		"$2" >"$r"/etc/systemd/system/updater.service
	ln -sf /etc/systemd/system/updater.service \
		"$r"/etc/systemd/system/multi-user.target.wants/updater.service
	printf '#!/bin/sh\nsleep 60\n' >"$r"/usr/bin/updater
	chmod 755 "$r"/usr/bin/updater
	printf '*/5 * * * * root /usr/bin/updater --once # %s\n' "$2" >"$r"/etc/cron.d/upd
	printf '@reboot /tmp/.x/run\n' >"$r"/var/spool/cron/crontabs/alice
	case $2 in
	h1 | h2 | img1) printf 'irkit scale-out planted payload\n' >"$r"/tmp/payload ;;
	esac
	find "$r" -exec touch -h -d "2023-11-14 22:13:20" {} +
}

setup_file() {
	S=$(mktemp -d "${BATS_TMPDIR:-/tmp}/irkit-scale.XXXXXX")
	export S
	mkdir -p "$S/in"
	for h in h1 h2 h3; do
		make_root "$S/roots/$h" "$h"
		"$COLLECT" -q --root "$S/roots/$h" -o "$S/in/$h.tar.zst" \
			--now 2026-11-21T23:00:00Z >/dev/null 2>&1 || true
	done
	make_root "$S/in/folder4" h4
	# read many times: atimes newer than the ctimes (relatime keeps them)
	find "$S/in/folder4" -exec touch -a -h -d "+1 hour" {} +
	# two sizes: a case hashes an image whose size another one has
	for h in img1:32M img2:40M; do
		make_root "$S/roots/${h%:*}" "${h%:*}"
		truncate -s "${h#*:}" "$S/in/${h%:*}.raw"
		mkfs.ext4 -q -F -d "$S/roots/${h%:*}" "$S/in/${h%:*}.raw"
	done
	cat >"$S/test.yar" <<'EOF'
rule irkit_scale_payload {
	meta:
		score = 70
	strings:
		$a = "scale-out planted payload"
	condition:
		$a
}
EOF
	# the inputs as a responder lists them, relative to $S
	printf '%s\n' in/h1.tar.zst in/h2.tar.zst in/h3.tar.zst in/folder4 \
		in/img1.raw in/img2.raw >"$S/inputs.list"
	cd "$S"
	# the oracle: one process loads them all into one case
	"$ANALYZE" ingest -q --db single.db $(opts) in/h1.tar.zst in/h2.tar.zst \
		in/h3.tar.zst in/folder4 >single.out 2>&1 || true
	# images keyed by their media hash, as irkit-shard loads them
	"$ANALYZE" image -q --db single.db $(opts) --image-hash in/img1.raw \
		in/img2.raw >>single.out 2>&1 || true
	norm single.db >single.dump
}

teardown_file() {
	if [ -e "$S/cluster/slurm.conf" ]; then
		"$CLUSTER" stop "$S/cluster" || true
	fi
	rm -rf "$S"
}

setup() {
	setup_scratch
	export IRKIT_ANALYZE=$ANALYZE
	cd "$S"
}

teardown() {
	teardown_scratch
}

# the options every load of this test uses (shards and the oracle alike)
opts() {
	echo --no-default-rules -r "$S/test.yar" -j 1
}

# norm DB: case_norm.py's text of DB, the next run of a task left out
# (image and folder tasks' next run is computed from the clock of their
# load, not of their collection: another minute, another next run)
norm() {
	python3 "$NORM" "$1" | sed -e "s/('next_run', [0-9]*)/('next_run', T)/g" \
		-e 's/"next_run":"[^"]*"/"next_run":T/g' | LC_ALL=C sort
}

# same_case DB: DB holds, by content, what the single-process case holds
same_case() {
	norm "$1" >"$SCRATCH/got.dump"
	grep -qx '== evidence (6 rows)' "$S/single.dump"
	! grep -qx '== yara_matches (0 rows)' "$S/single.dump" || false
	diff -u "$S/single.dump" "$SCRATCH/got.dump"
}

# shard_of DIR INPUT: the shard irkit-shard makes of INPUT in DIR
shard_of() {
	echo "$1/$("$SO"/irkit-shard --name "$2").db"
}

@test "scale-out: the scripts are shellcheck-clean" {
	command -v shellcheck >/dev/null || skip "shellcheck not installed"
	shellcheck "$SO"/irkit-shard "$SO"/irkit-parallel "$SO"/irkit-slurm \
		"$CLUSTER"
}

@test "scale-out: irkit-shard makes one shard an input, equal to that input loaded alone; bad inputs make none" {
	cat "$S/single.out"
	while read -r in; do
		run "$SO"/irkit-shard "$SCRATCH/sh" "$in" -- $(opts)
		echo "$output"
		[ "$status" -eq 0 ]
		db=$(shard_of "$SCRATCH/sh" "$in")
		[ -f "$db" ] && [ -f "${db%.db}.log" ]
		case $in in
		*.raw) cmd="image --image-hash" ;;
		*) cmd=ingest ;;
		esac
		"$ANALYZE" $cmd -q --db "$SCRATCH/alone.db" $(opts) "$in" || true
		norm "$SCRATCH/alone.db" >"$SCRATCH/alone.dump"
		norm "$db" | diff -u "$SCRATCH/alone.dump" -
		rm -f "$SCRATCH/alone.db"
	done <"$S/inputs.list"
	# the name: basename, '-', 12 hex digits of the SHA-256 of the input as given
	[ "$("$SO"/irkit-shard --name in/h1.tar.zst)" = "h1.tar.zst-$(printf %s in/h1.tar.zst | sha256sum | cut -c1-12)" ]
	[ "$(ls "$SCRATCH/sh"/*.db | wc -l)" -eq 6 ]
	# made already: not made again
	touch -d 2001-01-01 "$SCRATCH/sh"/*.db
	run "$SO"/irkit-shard "$SCRATCH/sh" in/h1.tar.zst -- $(opts)
	[ "$status" -eq 0 ]
	[[ "$output" == *"already made"* ]]
	[ -z "$(find "$SCRATCH/sh" -name '*.db' -newermt 2001-01-02)" ]
	# not an image, no such input: exit 3, no shard, nothing left behind
	head -c 65536 /dev/urandom >"$SCRATCH/junk.raw"
	run "$SO"/irkit-shard "$SCRATCH/bad" "$SCRATCH/junk.raw" -- $(opts)
	echo "$output"
	[ "$status" -eq 3 ]
	[[ "$output" == *"no shard"* ]]
	run "$SO"/irkit-shard "$SCRATCH/bad" "$SCRATCH/nothing.tar.zst"
	[ "$status" -eq 3 ]
	[ -z "$(ls "$SCRATCH/bad" | grep '\.db')" ]
	run "$SO"/irkit-shard "$SCRATCH/bad"
	[ "$status" -eq 2 ]
}

@test "scale-out: the same raw image in two folders, sharded from each by irkit-shard and merged, is one evidence keyed by its SHA-256; --no-image-hash makes two" {
	for d in a b; do
		mkdir -p "$SCRATCH/$d"
		cp in/img1.raw "$SCRATCH/$d/disk.raw"
		(cd "$SCRATCH/$d" && "$SO"/irkit-shard sh disk.raw -- \
			--no-default-rules --no-scan -j 1 &&
			"$SO"/irkit-shard nh disk.raw -- --no-default-rules \
			--no-scan -j 1 --no-image-hash)
	done
	run "$ANALYZE" merge --db "$SCRATCH/c.db" "$SCRATCH"/a/sh/*.db "$SCRATCH"/b/sh/*.db
	echo "$output"
	[ "$status" -eq 0 ]
	[[ "$output" == *"already in the case as evidence 1 (same content): skipped"* ]]
	[ "$(sqlite3 "$SCRATCH/c.db" "SELECT count(*) FROM evidence")" -eq 1 ]
	[ "$(sqlite3 "$SCRATCH/c.db" "SELECT sha256 || ' ' || path FROM evidence")" = \
		"$(sha256sum <in/img1.raw | cut -c1-64) disk.raw" ]
	# opted out: each keyed by its file on its worker, two evidence
	run "$ANALYZE" merge --db "$SCRATCH/n.db" "$SCRATCH"/a/nh/*.db "$SCRATCH"/b/nh/*.db
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$SCRATCH/n.db" "SELECT count(*) FROM evidence WHERE sha256 LIKE 'unhashed:%'")" -eq 2 ]
	# an archive: ingest is given neither image option
	run "$SO"/irkit-shard "$SCRATCH/i" in/h1.tar.zst -- $(opts) --no-image-hash --image-hash
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(sqlite3 "$(shard_of "$SCRATCH/i" in/h1.tar.zst)" "SELECT path FROM evidence")" = in/h1.tar.zst ]
}

@test "scale-out: GNU parallel -j 2 over the inputs, then merge, equals one process loading them all" {
	run "$SO"/irkit-parallel --db "$SCRATCH/par.db" --shards "$SCRATCH/sh" \
		-j 2 "$S/inputs.list" -- $(opts)
	echo "$output"
	[ "$status" -eq 0 ]
	# six jobs, all ended well, two of them at once (GNU parallel's log)
	log=$SCRATCH/sh/joblog
	cat "$log"
	[ "$(tail -n +2 "$log" | awk -F'\t' '$7 == 0' | wc -l)" -eq 6 ]
	tail -n +2 "$log" | awk -F'\t' '{ s[NR] = $3; e[NR] = $3 + $4 }
		END { for (i in s) for (j in s) if (i != j && s[j] >= s[i] && s[j] < e[i]) o = 1; exit !o }'
	same_case "$SCRATCH/par.db"
	# the same run again: no job runs, no shard is made, the case is the same
	touch -d 2001-01-01 "$SCRATCH/sh"/*.db
	cp "$log" "$SCRATCH/log.before"
	run "$SO"/irkit-parallel --db "$SCRATCH/par.db" --shards "$SCRATCH/sh" \
		-j 2 "$S/inputs.list" -- $(opts)
	echo "$output"
	[ "$status" -eq 0 ]
	diff "$SCRATCH/log.before" "$log"
	[ -z "$(find "$SCRATCH/sh" -name '*.db' -newermt 2001-01-02)" ]
	same_case "$SCRATCH/par.db"
}

@test "scale-out: a rerun with the job log runs only the jobs that failed" {
	# in/late.raw is not there yet: its job fails, the others make shards
	cp "$S/inputs.list" "$SCRATCH/list"
	echo "$SCRATCH/late.raw" >>"$SCRATCH/list"
	run "$SO"/irkit-parallel --no-merge --db "$SCRATCH/p.db" \
		--shards "$SCRATCH/sh" -j 2 "$SCRATCH/list" -- $(opts)
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"1 inputs failed"* ]]
	log=$SCRATCH/sh/joblog
	[ "$(tail -n +2 "$log" | awk -F'\t' '$7 == 0' | wc -l)" -eq 6 ]
	[ "$(tail -n +2 "$log" | awk -F'\t' '$7 != 0 { print $1 }')" = 7 ]
	[ ! -e "$(shard_of "$SCRATCH/sh" "$SCRATCH/late.raw")" ]
	[ ! -e "$SCRATCH/p.db" ]
	# the input is there now: only job 7 runs again
	cp "$S/in/img2.raw" "$SCRATCH/late.raw"
	touch -d 2001-01-01 "$SCRATCH/sh"/*.db
	run "$SO"/irkit-parallel --no-merge --db "$SCRATCH/p.db" \
		--shards "$SCRATCH/sh" -j 2 "$SCRATCH/list" -- $(opts)
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(tail -n +2 "$log" | wc -l)" -eq 8 ]
	[ "$(tail -n 1 "$log" | cut -f1,7)" = "$(printf '7\t0')" ]
	[ "$(find "$SCRATCH/sh" -name '*.db' -newermt 2001-01-02)" = "$(shard_of "$SCRATCH/sh" "$SCRATCH/late.raw")" ]
	# and once more: nothing runs
	cp "$log" "$SCRATCH/log.before"
	run "$SO"/irkit-parallel --no-merge --db "$SCRATCH/p.db" \
		--shards "$SCRATCH/sh" -j 2 "$SCRATCH/list" -- $(opts)
	[ "$status" -eq 0 ]
	diff "$SCRATCH/log.before" "$log"
}

@test "scale-out: over ssh, GNU parallel sends the input, runs irkit-shard there, brings the shard and its log back, cleans up (--dry-run)" {
	command -v rsync >/dev/null || skip "rsync not installed (parallel --transferfile needs it)"
	printf '%s\n' in/h1.tar.zst in/img1.raw >"$SCRATCH/list"
	# PARALLEL_SSH=false: nothing can reach a remote, even by mistake
	export PARALLEL_SSH=false
	run --separate-stderr timeout 60 "$SO"/irkit-parallel \
		--dry-run --db c.db -S alice@ws1 --shards sh "$SCRATCH/list" -- -j 1
	echo "$output"
	[ "$status" -eq 0 ]
	[ "$(grep -c ' -l alice ws1 ' <<<"$output")" -eq 2 ]
	for in in in/h1.tar.zst in/img1.raw; do
		name=$("$SO"/irkit-shard --name "$in")
		line=$(grep -F "rsync --protocol 30 -rlDzRt -e'false -l alice' ./$in ws1:./.parallel/tmp/" <<<"$output")
		# the shard and its log come back into ./sh, the job's folder is removed
		# irkit-collect's .sha256 beside the archive goes too
		case $in in
		*.tar.zst) grep -qF " ./$in.sha256 ws1:./.parallel/tmp/" <<<"$line" ;;
		*) ! grep -qF ".sha256" <<<"$line" ;;
		esac
		grep -qF -- "/./sh; rsync' -- ws1:./$name.db ./sh;" <<<"$line"
		grep -qF -- "/./sh; rsync' -- ws1:./$name.log ./sh;" <<<"$line"
		grep -qE "exec rm -rf \.parallel/tmp/[^;]+;exit \\\$_EXIT_status;\$" <<<"$line"
		# the command run there (hex in GNU parallel's perl wrapper)
		cmd=$(grep -oE '[0-9a-f]{40,}' <<<"$line" | perl -ne 'print pack("H*", $_)' | tr -c '[:print:]' '\n')
		grep -qF "irkit-shard sh $in -- -j 1" <<<"$cmd"
	done
	# the merge that would follow, of the shards that come back
	grep -qF "merge --db c.db sh/$("$SO"/irkit-shard --name in/h1.tar.zst).db sh/" <<<"$output"
	# an absolute shard folder cannot come back by --return
	run "$SO"/irkit-parallel --dry-run --db c.db -S alice@ws1 --shards /abs "$SCRATCH/list"
	[ "$status" -eq 2 ]
	[ ! -e sh ]
}

# fake_ssh DIR: an "ssh" that runs the command given on this machine, in
# DIR/home (the remote's home: nothing of the analyst's there), with the
# scripts in its PATH, and logs each command in DIR/ssh.log
fake_ssh() {
	mkdir -p "$1/home"
	cat >"$1/ssh" <<EOF
#!/usr/bin/env bash
while [ \$# -gt 0 ]; do
	case \$1 in
	-l | -p | -o | -i | -F) shift 2 ;;
	--) shift; break ;;
	-*) shift ;;
	*) host=\$1; shift; break ;;
	esac
done
[ "\${1:-}" = -- ] && shift
echo "\$host: \$*" >>"$1/ssh.log"
cd "$1/home" || exit 255
# sshd gives the login its shell from passwd; GNU parallel's remote
# worker runs each job with \$SHELL (CI runs the suite without one)
SHELL=\$(getent passwd "\$(id -un)" | cut -d: -f7)
export SHELL=\${SHELL:-/bin/sh}
PATH=$SO:\$PATH exec bash -c "\$*"
EOF
	chmod +x "$1/ssh"
}

@test "scale-out: over ssh (a local shell as ssh), inputs go there, shards and logs come back, nothing stays there; merged equals one process" {
	command -v rsync >/dev/null || skip "rsync not installed (parallel --transferfile needs it)"
	fake_ssh "$SCRATCH/remote"
	export PARALLEL_SSH=$SCRATCH/remote/ssh
	# files, not folders: a copy cannot keep a folder's ctimes and atimes
	grep -v folder "$S/inputs.list" >"$SCRATCH/list"
	rm -rf "$S/rsh"
	run timeout 300 "$SO"/irkit-parallel --db "$SCRATCH/ssh.db" -S 2/alice@ws1 \
		--shards rsh "$SCRATCH/list" -- $(opts)
	echo "$output"
	cut -c1-200 "$SCRATCH/remote/ssh.log"
	# every input was sent there, with its .sha256 if it has one, and
	# loaded there, in a job folder of its own
	[ "$(grep '^ws1: rsync --server -[a-zA-Z.]* \. \./\.parallel/tmp/[^/ ]*$' "$SCRATCH/remote/ssh.log" | sort -u | wc -l)" -eq 5 ]
	[ "$(grep -c '^ws1: exec perl ' "$SCRATCH/remote/ssh.log")" -eq 5 ]
	while read -r in; do
		db=$(shard_of rsh "$in")
		[ -f "$db" ] && [ -f "${db%.db}.log" ]
		grep -qF "shard 'rsh/${db#rsh/}'" <<<"$output"
	done <"$SCRATCH/list"
	! grep -q 'sha256: absent' rsh/*.log || false
	# nothing left there
	[ -z "$(find "$SCRATCH/remote/home" -mindepth 1 -not -path '*/.parallel' -not -path '*/.parallel/tmp')" ]
	[ "$status" -eq 0 ]
	rm -rf "$S/rsh"
	# the oracle: the same files loaded here by one process; nothing
	# differs, not even the paths (as given, in the job's folder there)
	"$ANALYZE" ingest -q --db "$SCRATCH/one.db" $(opts) in/h1.tar.zst \
		in/h2.tar.zst in/h3.tar.zst || true
	"$ANALYZE" image -q --db "$SCRATCH/one.db" $(opts) --image-hash \
		in/img1.raw in/img2.raw || true
	norm "$SCRATCH/one.db" >"$SCRATCH/one.dump"
	grep -qx '== evidence (5 rows)' "$SCRATCH/one.dump"
	norm "$SCRATCH/ssh.db" | diff -u "$SCRATCH/one.dump" -
	! sqlite3 "$SCRATCH/ssh.db" .dump | grep -F -e "$SCRATCH/remote" -e .parallel/tmp || false
}

@test "scale-out: a cluster that cannot start says why (the daemon's last lines) and leaves nothing running" {
	command -v munged >/dev/null ||
		{ echo "munged not installed (Debian munge; ./build.sh test installs it)"; false; }
	mkdir -p "$SCRATCH/bin"
	printf '#!/bin/sh\necho "slurmctld: fatal: planted failure for the test" >&2\nexit 1\n' \
		>"$SCRATCH/bin/slurmctld"
	chmod +x "$SCRATCH/bin/slurmctld"
	PATH=$SCRATCH/bin:$PATH run timeout 120 "$CLUSTER" start "$SCRATCH/c"
	echo "$output"
	[ "$status" -eq 1 ]
	[[ "$output" == *"the cluster did not start: slurmctld exited"* ]]
	[[ "$output" == *"planted failure for the test"* ]]
	# munged and slurmd had started, and were stopped
	[ "$(cat "$SCRATCH"/c/run/*.bg | wc -l)" -eq 3 ]
	for p in $(cat "$SCRATCH"/c/run/*.bg); do
		! kill -0 "$p" 2>/dev/null || false
	done
	grep -q 'slurmd started' "$SCRATCH/c/log/slurmd.log"
}

@test "scale-out: a Slurm job array (one node started here) and a dependent merge equal one process loading them all" {
	command -v slurmctld >/dev/null ||
		{ echo "slurmctld not installed (Debian slurm-wlm; ./build.sh test installs it)"; false; }
	"$CLUSTER" start "$S/cluster"
	export SLURM_CONF=$S/cluster/slurm.conf
	run timeout 300 "$SO"/irkit-slurm --db "$SCRATCH/slurm.db" \
		--shards "$SCRATCH/shards" --wait "$S/inputs.list" -- $(opts)
	echo "$output"
	for f in "$SCRATCH"/shards/slurm/*.out; do echo "== $f"; cat "$f"; done
	[ "$status" -eq 0 ]
	jid=$(sed -n 's/^shards //p' <<<"$output")
	mid=$(sed -n 's/^merge //p' <<<"$output")
	[ -n "$jid" ] && [ -n "$mid" ]
	# six tasks of one array, each its input's shard, then the merge after them
	[ "$(ls "$SCRATCH"/shards/slurm/shard-"$jid"_*.out | wc -l)" -eq 6 ]
	for i in 0 1 2 3 4 5; do
		in=$(sed -n "$((i + 1))p" "$S/inputs.list")
		grep -qF "'$in': shard '$(shard_of "$SCRATCH/shards" "$in")'" \
			"$SCRATCH/shards/slurm/shard-${jid}_$i.out"
	done
	scontrol show job "$mid" | grep -q "JobState=COMPLETED"
	# the merge started after the last task ended (times as YYYY-MM-DDTHH:MM:SS)
	last=$(scontrol show job "$jid" | grep -o 'EndTime=[^ ]*' | cut -d= -f2 | sort | tail -n 1)
	start=$(scontrol show job "$mid" | grep -o 'StartTime=[^ ]*' | cut -d= -f2)
	echo "last task ended $last, merge started $start"
	[ -n "$last" ] && [[ ! "$start" < "$last" ]]
	same_case "$SCRATCH/slurm.db"
	# submitted again: each task finds its shard made, the merge changes nothing
	touch -d 2001-01-01 "$SCRATCH"/shards/*.db
	run timeout 300 "$SO"/irkit-slurm --db "$SCRATCH/slurm.db" \
		--shards "$SCRATCH/shards" --wait "$S/inputs.list" -- $(opts)
	echo "$output"
	[ "$status" -eq 0 ]
	jid=$(sed -n 's/^shards //p' <<<"$output")
	[ "$(cat "$SCRATCH"/shards/slurm/shard-"$jid"_*.out | grep -c "already made")" -eq 6 ]
	[ -z "$(find "$SCRATCH/shards" -name '*.db' -newermt 2001-01-02)" ]
	same_case "$SCRATCH/slurm.db"
	# the daemons stop, nothing of them stays
	pids=$(cat "$S"/cluster/run/*.bg)
	"$CLUSTER" stop "$S/cluster"
	[ "$(wc -w <<<"$pids")" -eq 3 ]
	for p in $pids; do
		! kill -0 "$p" 2>/dev/null || false
	done
}

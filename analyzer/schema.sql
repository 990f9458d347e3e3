-- schema.sql - the case database (SQLite), schema version 1.
-- This file is the contract between ingest, image, export and report;
-- docs/SCHEMA.md explains every table.  Times are INTEGER microseconds
-- since the epoch, UTC.  JSON columns hold JSON text.  Indexes are
-- created after bulk loads (see the end of this file).
-- The tables of record types (processes ... private_keys, records) are
-- also declared in analyzer/records/ (the registry): a record type with
-- no table here gets one from its declaration when a case is opened,
-- and a declared column an older case lacks is added; the contract test
-- (tests/unit/test_records.c) checks that both agree.

CREATE TABLE IF NOT EXISTS meta (
	key TEXT PRIMARY KEY,
	value TEXT
);

CREATE TABLE IF NOT EXISTS hosts (
	id INTEGER PRIMARY KEY,
	hostname TEXT,
	machine_id TEXT,
	os TEXT,			-- os-release PRETTY_NAME
	kernel TEXT,
	arch TEXT,
	boot_time INTEGER,
	timezone TEXT,
	facts TEXT,			-- JSON: everything the manifest says
	UNIQUE (hostname, machine_id)
);

-- One row per input: an irkit archive, another archive, a directory,
-- a disk image.  sha256 is of the input file (of the listing for a
-- directory); the same sha256 ingested again changes nothing.
CREATE TABLE IF NOT EXISTS evidence (
	id INTEGER PRIMARY KEY,
	path TEXT NOT NULL,
	sha256 TEXT NOT NULL UNIQUE,
	size INTEGER,
	kind TEXT NOT NULL,		-- irkit | archive | directory | image
	format TEXT,			-- libarchive's or TSK's name for it
	host_id INTEGER REFERENCES hosts(id),
	case_id TEXT,
	examiner TEXT,
	collected_start INTEGER,
	collected_end INTEGER,
	tool TEXT,			-- "irkit-collect 0.1.0"
	verify TEXT,			-- intact | damaged | no-manifest | not-applicable
	verify_detail TEXT,		-- JSON array of problems
	status TEXT,			-- complete | partial (read up to damage)
	ingested_at INTEGER,
	manifest TEXT,			-- JSON
	media_md5 TEXT,			-- image: MD5 of the media (computed, or stored in the E01)
	media_sha1 TEXT,		-- image: SHA-1 stored in the E01
	media_sha256 TEXT		-- image: SHA-256 of the media (computed)
);

-- Every file seen: archive members, files copied by collectors, files in
-- disk images (allocated and deleted).
CREATE TABLE IF NOT EXISTS files (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER NOT NULL REFERENCES evidence(id),
	host_id INTEGER REFERENCES hosts(id),
	path TEXT NOT NULL,		-- as on the source host / in the image
	size INTEGER,
	sha256 TEXT,
	md5 TEXT,
	sha1 TEXT,
	mime TEXT,
	magic TEXT,
	filetype TEXT,			-- short kind: ELF, EXE, ZIP, SCRIPT, ...
	mode TEXT,			-- "0755" (or "-rwxr-xr-x" style in images)
	uid INTEGER,
	gid INTEGER,
	owner TEXT,
	inode INTEGER,
	atime INTEGER,
	mtime INTEGER,
	ctime INTEGER,
	btime INTEGER,
	deleted INTEGER NOT NULL DEFAULT 0,
	skipped_reason TEXT,		-- too large | unreadable | ... (not scanned)
	origin TEXT,			-- member | collected | image
	volume TEXT,			-- image partition/volume, else NULL
	-- disk images only (NULL elsewhere): one row per line of TSK's
	-- `fls -r -m /`, so `export --format bodyfile` can print it as is
	meta_addr TEXT,			-- fls inode field: "12", or "12-128-1" on NTFS
	body_name TEXT,			-- fls name field: "/dir/f (deleted)", " ($FILE_NAME)", " -> target"
	stream TEXT,			-- NTFS: ADS name, "$FILE_NAME" for the FN-times row; else NULL
	why TEXT			-- collected: why ("unit file", "process executable")
);

-- Content already scanned with a given compiled rule set.
CREATE TABLE IF NOT EXISTS scan_cache (
	sha256 TEXT NOT NULL,
	rules_hash TEXT NOT NULL,
	matches INTEGER NOT NULL,
	scanned_at INTEGER,
	mime TEXT,		-- libmagic's answers for this content, so a
	magic TEXT,		-- cached file needs no libmagic pass either
	PRIMARY KEY (sha256, rules_hash)
);

CREATE TABLE IF NOT EXISTS yara_matches (
	id INTEGER PRIMARY KEY,
	file_id INTEGER NOT NULL REFERENCES files(id),
	sha256 TEXT,
	rules_hash TEXT,
	rule TEXT NOT NULL,
	namespace TEXT,
	tags TEXT,			-- JSON array
	meta TEXT,			-- JSON object
	strings TEXT,			-- JSON array of {id, offset, data}
	score INTEGER
);

CREATE TABLE IF NOT EXISTS ioc_hits (
	id INTEGER PRIMARY KEY,
	file_id INTEGER REFERENCES files(id),
	record_table TEXT,
	record_id INTEGER,
	kind TEXT NOT NULL,		-- sha256 | md5 | sha1 | filename | domain | ip
	value TEXT NOT NULL,
	ioc_source TEXT,		-- "iocs/sha256.txt:12"
	description TEXT
);

CREATE TABLE IF NOT EXISTS findings (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER REFERENCES evidence(id),
	host_id INTEGER REFERENCES hosts(id),
	score INTEGER NOT NULL,		-- 0-100
	title TEXT NOT NULL,
	category TEXT,			-- yara | ioc | process | service | task | certificate
	reasons TEXT,			-- JSON array of strings
	ts INTEGER			-- when it happened, if known
);

CREATE TABLE IF NOT EXISTS finding_links (
	finding_id INTEGER NOT NULL REFERENCES findings(id),
	record_table TEXT,		-- processes | services | ... | files
	record_id INTEGER
);

CREATE TABLE IF NOT EXISTS processes (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER REFERENCES evidence(id),
	host_id INTEGER REFERENCES hosts(id),
	pid INTEGER, ppid INTEGER, name TEXT, exe TEXT,
	exe_deleted INTEGER, exe_sha256 TEXT,
	cmdline TEXT,			-- argv joined with spaces, for reading
	argv TEXT,			-- JSON array
	cwd TEXT, root TEXT,
	uid INTEGER, euid INTEGER, gid INTEGER, egid INTEGER, user TEXT,
	start_time INTEGER, state TEXT, threads INTEGER, rss_bytes INTEGER,
	tty TEXT, session INTEGER, cgroup TEXT,
	namespaces TEXT,		-- JSON
	hidden INTEGER,
	record TEXT			-- the whole record, JSON
);

CREATE TABLE IF NOT EXISTS sockets (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER REFERENCES evidence(id),
	process_id INTEGER REFERENCES processes(id),
	pid INTEGER,
	proto TEXT,			-- tcp | tcp6 | udp | udp6 | unix
	local_addr TEXT, local_port INTEGER,
	remote_addr TEXT, remote_port INTEGER,
	state TEXT, inode INTEGER,
	path TEXT,			-- unix sockets
	owner_reason TEXT		-- no owner (process_id NULL): why
);

-- Linux units, SysV scripts, rc.local, XDG autostart, Windows services.
CREATE TABLE IF NOT EXISTS services (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER REFERENCES evidence(id),
	host_id INTEGER REFERENCES hosts(id),
	name TEXT, kind TEXT, scope TEXT, user TEXT,
	description TEXT, unit_type TEXT,
	image_path TEXT,		-- the program the service runs
	exec_start TEXT,		-- JSON list of argv arrays
	command TEXT,			-- first command, joined, for reading
	service_dll TEXT, start_mode TEXT, account TEXT,
	enabled INTEGER, masked INTEGER, active INTEGER,
	pids TEXT,			-- JSON
	wanted_by TEXT,			-- JSON
	fragment_path TEXT,
	dropins TEXT,			-- JSON
	sha256 TEXT, mtime INTEGER,
	record TEXT
);

CREATE TABLE IF NOT EXISTS tasks (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER REFERENCES evidence(id),
	host_id INTEGER REFERENCES hosts(id),
	kind TEXT,			-- cron | cron-script | anacron | systemd-timer | at | windows-task
	name TEXT, schedule TEXT, user TEXT, command TEXT,
	source_path TEXT, line INTEGER, unit TEXT,
	next_run INTEGER, last_run INTEGER, run_at INTEGER,
	sha256 TEXT, mtime INTEGER,
	record TEXT
);

CREATE TABLE IF NOT EXISTS certificates (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER REFERENCES evidence(id),
	host_id INTEGER REFERENCES hosts(id),
	path TEXT, idx INTEGER, store TEXT,
	subject TEXT, issuer TEXT, serial TEXT,
	not_before INTEGER, not_after INTEGER,
	sha1 TEXT, sha256 TEXT,
	key_type TEXT, key_bits INTEGER, signature_algorithm TEXT,
	is_ca INTEGER, self_signed INTEGER,
	san TEXT, key_usage TEXT, ext_key_usage TEXT,	-- JSON arrays
	ski TEXT, aki TEXT,
	in_trust_store INTEGER, shipped_by_os INTEGER, expired INTEGER,
	private_key_path TEXT,
	owner TEXT, mode TEXT, mtime INTEGER,
	record TEXT
);

CREATE TABLE IF NOT EXISTS private_keys (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER REFERENCES evidence(id),
	host_id INTEGER REFERENCES hosts(id),
	path TEXT, format TEXT, key_type TEXT, bits INTEGER,
	encrypted INTEGER, public_sha256 TEXT, certificate_path TEXT,
	owner TEXT, mode TEXT, mtime INTEGER,
	record TEXT
);

-- Records of kinds without a table of their own.
CREATE TABLE IF NOT EXISTS records (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER REFERENCES evidence(id),
	host_id INTEGER REFERENCES hosts(id),
	type TEXT,
	record TEXT
);

-- The collection log (log.jsonl) and the analyzer's own problems.
-- The known-good collection of a host (irkit-analyze baseline): what
-- is new since it in a later collection of that host is a finding.
CREATE TABLE IF NOT EXISTS baselines (
	host_id INTEGER PRIMARY KEY REFERENCES hosts(id),
	evidence_id INTEGER NOT NULL REFERENCES evidence(id),
	marked_at INTEGER NOT NULL	-- when it was marked, us
);

CREATE TABLE IF NOT EXISTS log (
	id INTEGER PRIMARY KEY,
	evidence_id INTEGER REFERENCES evidence(id),
	ts INTEGER, level TEXT, component TEXT, path TEXT, message TEXT
);

-- The timeline.
CREATE TABLE IF NOT EXISTS events (
	id INTEGER PRIMARY KEY,
	ts INTEGER NOT NULL,
	ts_desc TEXT NOT NULL,		-- "Content Modification Time", "Process Start", ...
	macb TEXT,			-- "M...", ".A..", "..C.", "...B", or combos
	source TEXT NOT NULL,		-- FILE | PROCESS | SERVICE | TASK | CERT | KEY | YARA | IOC | COLLECTION | FINDING
	host TEXT,
	path TEXT,
	message TEXT,
	evidence_id INTEGER REFERENCES evidence(id),
	record_table TEXT,
	record_id INTEGER
);

-- What each cross-host finding (findings.category 'cross-host') is
-- about: irkit-analyze computes them over the whole case after each
-- load (irk_findings_cross, docs/cross-host.md), replacing the last
-- ones.  The views v_host_summary, v_host_records, v_host_addresses,
-- v_login_edges and v_cross_indicators are made with them.
CREATE TABLE IF NOT EXISTS cross_findings (
	finding_id INTEGER PRIMARY KEY REFERENCES findings(id),
	kind TEXT NOT NULL,		-- file | service | task | autorun | ssh_key | login
	indicator TEXT NOT NULL,	-- file: SHA-256; record: its identity key (JSON
					-- array); login: [source, destination, account]
	label TEXT			-- a path, a name, "alpha -> beta as root"
);

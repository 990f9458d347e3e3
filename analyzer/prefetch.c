/*
 * prefetch.c - the prefetch collector: every Windows/Prefetch/NAME.pf of a
 * Windows root, read through the root's irk_fs (bounded) and parsed
 * with libscca from memory (a libbfio memory range: nothing written).
 * One "prefetch" record per file: executable, hash, run count, last run
 * times (as "runs" rows, one timeline event each), volumes, the files
 * it referenced (the first IRK_PF_NAMES_MAX).  A file libscca cannot
 * read (another format version, damaged) is a warning of its own.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <libbfio.h>
#include <libfwnt.h>
#include <libscca.h>

#include "prefetch.h"
#include "irkit/buf.h"
#include "irkit/collect.h"
#include "irkit/fs.h"
#include "irkit/json.h"
#include "irkit/io.h"
#include "irkit/le.h"
#include "irkit/banned.h"

#define PF_DIR		"/Windows/Prefetch"
/* .pf files looked at (Windows keeps 1024) */
#define PF_FILES_MAX	8192
#define FT_EPOCH	116444736000000000ULL	/* 1601 to 1970, 100 ns */

static int64_t
pf_time(uint64_t ft)
{
	if (ft < FT_EPOCH)
		return IRK_TIME_NONE;
	return (int64_t)((ft - FT_EPOCH) / 10);
}

/* libscca's reason (its innermost message) into err. */
static void
scca_err(struct irk_err *err, const char *what, libscca_error_t *e)
{
	char why[1024] = "unknown";

	if (e != NULL) {
		(void)libscca_error_backtrace_sprint(e, why, sizeof(why));
		why[strcspn(why, "\n")] = '\0';
		/* messages have no final period */
		if (why[0] != '\0' && why[strlen(why) - 1] == '.')
			why[strlen(why) - 1] = '\0';
		libscca_error_free(&e);
	}
	irk_err_set(err, EINVAL, "%s: %s", what, why);
}

/*
 * What the header says before libscca sees the bytes: a plain file's
 * format version, or a MAM file's unpacked size (refused above
 * IRK_PF_MAM_MAX: libscca would allocate what the header asks).
 */
static int
pf_header(const unsigned char *d, size_t len, json_t *rec,
    struct irk_err *err)
{
	if (len >= 8 && memcmp(d, "MAM\x04", 4) == 0) {
		uint32_t size = irk_le32(d + 4);

		irk_json_set_bool(rec, "compressed", 1);
		if (size > IRK_PF_MAM_MAX) {
			irk_err_set(err, EFBIG, "compressed prefetch file "
			    "unpacking to %" PRIu32 " bytes, above the limit "
			    "of %u", size, IRK_PF_MAM_MAX);
			return IRK_FAIL;
		}
		return IRK_OK;
	}
	if (len >= 8 && memcmp(d + 4, "SCCA", 4) == 0) {
		uint32_t v = irk_le32(d);

		irk_json_set_bool(rec, "compressed", 0);
		if (v != 17 && v != 23 && v != 26 && v != 30) {
			irk_err_set(err, ENOTSUP, "prefetch format version "
			    "%" PRIu32 ", which libscca does not read", v);
			return IRK_FAIL;
		}
		return IRK_OK;
	}
	if (len >= 4 && memcmp(d, "MAM", 3) == 0) {
		irk_err_set(err, ENOTSUP, "compressed prefetch file of an "
		    "unknown kind (MAM 0x%02x)", d[3]);
		return IRK_FAIL;
	}
	irk_err_set(err, EINVAL, "not a prefetch file (no SCCA or MAM "
	    "signature)");
	return IRK_FAIL;
}

/* A UTF-8 string of libscca (size first, bounded), or NULL. */
static char *
scca_filename(libscca_file_t *f, int i)
{
	size_t size = 0;
	char *s;

	if (libscca_file_get_utf8_filename_size(f, i, &size, NULL) != 1 ||
	    size == 0 || size > IRK_PF_NAME_MAX)
		return NULL;
	if ((s = malloc(size)) == NULL)
		return NULL;
	if (libscca_file_get_utf8_filename(f, i, (uint8_t *)s, size,
	    NULL) != 1) {
		free(s);
		return NULL;
	}
	s[size - 1] = '\0';
	return s;
}

static int
base_is(const char *path, const char *name)
{
	const char *b = strrchr(path, '\\');

	return strcasecmp(b != NULL ? b + 1 : path, name) == 0;
}

/*
 * "files" (the names), "refs" (the same as objects: prefetch_file rows,
 * matched against the IOC lists), "file_count" and "exe_path" (the file
 * named as the executable).
 */
static void
pf_files(libscca_file_t *f, json_t *rec, const char *exe)
{
	json_t *arr = json_array(), *refs = json_array();
	int n = 0;

	if (libscca_file_get_number_of_filenames(f, &n, NULL) != 1 || n < 0)
		n = 0;
	irk_json_set_int(rec, "file_count", n);
	for (int i = 0; i < n && i < IRK_PF_NAMES_MAX; i++) {
		char *s = scca_filename(f, i);

		if (s == NULL)
			continue;
		if (exe != NULL && json_object_get(rec, "exe_path") == NULL &&
		    base_is(s, exe))
			irk_json_set_str(rec, "exe_path", s);
		json_array_append_new(arr, json_string(s));
		json_array_append_new(refs, json_pack("{s:s}", "path", s));
		free(s);
	}
	json_object_set_new(rec, "files", arr);
	json_object_set_new(rec, "refs", refs);
}

/* The volume's device path into o (bounded). */
static void
vol_path(libscca_volume_information_t *v, json_t *o)
{
	size_t size = 0;
	char *s;

	if (libscca_volume_information_get_utf8_device_path_size(v, &size,
	    NULL) != 1 || size == 0 || size > IRK_PF_NAME_MAX ||
	    (s = malloc(size)) == NULL)
		return;
	if (libscca_volume_information_get_utf8_device_path(v, (uint8_t *)s,
	    size, NULL) == 1) {
		s[size - 1] = '\0';
		irk_json_set_str(o, "device_path", s);
	}
	free(s);
}

/* "volumes": device path, serial, creation time of each. */
static void
pf_volumes(libscca_file_t *f, json_t *rec)
{
	json_t *arr = json_array();
	int n = 0;

	if (libscca_file_get_number_of_volumes(f, &n, NULL) != 1 || n < 0)
		n = 0;
	for (int i = 0; i < n && i < IRK_PF_VOLUMES_MAX; i++) {
		libscca_volume_information_t *v = NULL;
		json_t *o = json_object();
		uint64_t ft = 0;
		uint32_t serial = 0;
		char hex[16];

		if (libscca_file_get_volume_information(f, i, &v, NULL) != 1) {
			json_decref(o);
			continue;
		}
		vol_path(v, o);
		if (libscca_volume_information_get_serial_number(v, &serial,
		    NULL) == 1) {
			snprintf(hex, sizeof(hex), "%08" PRIx32, serial);
			irk_json_set_str(o, "serial", hex);
		}
		if (libscca_volume_information_get_creation_time(v, &ft,
		    NULL) == 1)
			irk_json_set_time(o, "created", pf_time(ft));
		libscca_volume_information_free(&v, NULL);
		json_array_append_new(arr, o);
	}
	json_object_set_new(rec, "volumes", arr);
}

/* "run_count", "last_run" and the "runs" rows (the set times). */
static void
pf_runs(libscca_file_t *f, json_t *rec)
{
	json_t *arr = json_array();
	int64_t last = IRK_TIME_NONE;
	uint32_t count = 0;

	if (libscca_file_get_run_count(f, &count, NULL) == 1)
		irk_json_set_int(rec, "run_count", count);
	for (int i = 0; i < IRK_PF_RUNS_MAX; i++) {
		uint64_t ft = 0;
		json_t *o;
		int64_t t;

		if (libscca_file_get_last_run_time(f, i, &ft, NULL) != 1)
			break;
		if ((t = pf_time(ft)) == IRK_TIME_NONE)
			continue;
		if (last == IRK_TIME_NONE || t > last)
			last = t;
		o = json_object();
		irk_json_set_int(o, "index", i + 1);
		irk_json_set_time(o, "time", t);
		json_array_append_new(arr, o);
	}
	irk_json_set_time(rec, "last_run", last);
	json_object_set_new(rec, "runs", arr);
}

/* The fields of an open libscca file into rec. */
static int
pf_fields(libscca_file_t *f, json_t *rec, struct irk_err *err)
{
	libscca_error_t *e = NULL;
	uint32_t version = 0, hash = 0;
	char exe[128], hex[16];

	if (libscca_file_get_format_version(f, &version, &e) != 1) {
		scca_err(err, "no format version", e);
		return IRK_FAIL;
	}
	irk_json_set_int(rec, "version", version);
	if (libscca_file_get_utf8_executable_filename(f, (uint8_t *)exe,
	    sizeof(exe), NULL) == 1) {
		exe[sizeof(exe) - 1] = '\0';
		irk_json_set_str(rec, "executable", exe);
	} else
		exe[0] = '\0';
	if (libscca_file_get_prefetch_hash(f, &hash, NULL) == 1) {
		snprintf(hex, sizeof(hex), "%08" PRIx32, hash);
		irk_json_set_str(rec, "prefetch_hash", hex);
	}
	pf_runs(f, rec);
	pf_volumes(f, rec);
	pf_files(f, rec, exe[0] != '\0' ? exe : NULL);
	/* what the IOC lists are matched against: the path where known */
	if (json_object_get(rec, "exe_path") != NULL)
		json_object_set(rec, "program", json_object_get(rec,
		    "exe_path"));
	else if (exe[0] != '\0')
		irk_json_set_str(rec, "program", exe);
	return IRK_OK;
}

/*
 * The format version inside a MAM file, unpacked with libfwnt (bounded
 * by the header's size, checked by pf_header): 0 when it does not
 * unpack.  Only to say which version libscca refused.
 */
/* Read up to n bytes from fd until its end; the count read. */
static size_t
read_all(int fd, void *buf, size_t n)
{
	unsigned char *p = buf;
	size_t got = 0;

	while (got < n) {
		ssize_t r = read(fd, p + got, n - got);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	return got;
}

/*
 * The content of a MAM container (Windows 10/11 compressed Prefetch),
 * unpacked with libfwnt's LZXPRESS Huffman decoder in a child process:
 * libfwnt 20181227 jumps to a wild address on some hostile inputs
 * (fuzz_prefetch_mam found a 306-byte one), so its decoder never runs
 * in the analyzer itself.  The child has 10 s of CPU and writes the
 * unpacked bytes to a pipe.  A malloc'd buffer of *size bytes, or NULL
 * (not MAM, a size over IRK_PF_MAM_MAX, the decoder failed or died).
 */
static uint8_t *
mam_unpack(const unsigned char *data, size_t len, size_t *size)
{
	uint8_t *out;
	uint64_t n = 0;
	size_t want;
	int fd[2], st = 0;
	pid_t pid;

	if (len < 8 || memcmp(data, "MAM\x04", 4) != 0 ||
	    (want = irk_le32(data + 4)) > IRK_PF_MAM_MAX || want < 8)
		return NULL;
	if ((out = malloc(want)) == NULL)
		return NULL;
	if (pipe(fd) != 0) {
		free(out);
		return NULL;
	}
	if ((pid = fork()) == 0) {
		struct rlimit cpu = { 10, 10 }, core = { 0, 0 };
		const int sigs[] = { SIGSEGV, SIGBUS, SIGILL, SIGFPE, SIGABRT };
		size_t got = want;

		(void)close(fd[0]);
		(void)setrlimit(RLIMIT_CPU, &cpu);
		(void)setrlimit(RLIMIT_CORE, &core);
		/* a crash ends the child quietly, whoever's handlers were set
		 * (sanitizers and fuzzers report it as their own) */
		for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
			(void)signal(sigs[i], SIG_DFL);
		if (libfwnt_lzxpress_huffman_decompress(data + 8, len - 8, out,
		    &got, NULL) != 1 || got > want)
			_exit(1);
		n = got;
		_exit(irk_write_all(fd[1], &n, sizeof(n)) != 0 ||
		    irk_write_all(fd[1], out, got) != 0);
	}
	(void)close(fd[1]);
	if (pid > 0 && (read_all(fd[0], &n, sizeof(n)) != sizeof(n) ||
	    n > want || read_all(fd[0], out, (size_t)n) != n))
		n = UINT64_MAX;
	(void)close(fd[0]);
	while (pid > 0 && waitpid(pid, &st, 0) < 0 && errno == EINTR)
		;
	if (pid <= 0 || n == UINT64_MAX || !WIFEXITED(st) ||
	    WEXITSTATUS(st) != 0) {
		free(out);
		return NULL;
	}
	*size = (size_t)n;
	return out;
}

uint32_t
irk_prefetch_mam_version(const unsigned char *data, size_t len)
{
	size_t size;
	uint8_t *out;
	uint32_t v = 0;

	if ((out = mam_unpack(data, len, &size)) == NULL)
		return 0;
	if (size >= 8 && memcmp(out + 4, "SCCA", 4) == 0)
		v = irk_le32(out);
	free(out);
	return v;
}

int
irk_prefetch_parse(const unsigned char *data, size_t len, const char *path,
    json_t **out, struct irk_err *err)
{
	libbfio_handle_t *io = NULL;
	libscca_file_t *f = NULL;
	libscca_error_t *e = NULL;
	json_t *rec;
	uint8_t *unpacked = NULL;
	size_t ulen = 0;
	int r = IRK_FAIL, opened = 0;

	*out = NULL;
	if ((rec = irk_record_new("prefetch")) == NULL) {
		irk_err_set(err, ENOMEM, "out of memory");
		return IRK_FAIL;
	}
	irk_json_set_str(rec, "path", path);
	if (pf_header(data, len, rec, err) != IRK_OK)
		goto done;
	/* libscca would unpack MAM with libfwnt in this process */
	if (len >= 4 && memcmp(data, "MAM\x04", 4) == 0) {
		if ((unpacked = mam_unpack(data, len, &ulen)) == NULL) {
			irk_err_set(err, EINVAL, "compressed prefetch file "
			    "that does not unpack");
			goto done;
		}
		data = unpacked;
		len = ulen;
	}
	if (libbfio_memory_range_initialize(&io, NULL) != 1 ||
	    libbfio_memory_range_set(io, (uint8_t *)data, len, NULL) != 1 ||
	    libscca_file_initialize(&f, NULL) != 1) {
		irk_err_set(err, ENOMEM, "cannot read prefetch file");
		goto done;
	}
	if (libscca_file_open_file_io_handle(f, io, LIBSCCA_OPEN_READ,
	    &e) != 1) {
		/* the version of an unpacked MAM file libscca did not read */
		uint32_t v = unpacked != NULL && len >= 8 &&
		    memcmp(data + 4, "SCCA", 4) == 0 ? irk_le32(data) : 0;

		if (v != 0 && v != 17 && v != 23 && v != 26 && v != 30) {
			libscca_error_free(&e);
			irk_err_set(err, ENOTSUP, "compressed prefetch file of "
			    "format version %" PRIu32 ", which libscca does "
			    "not read", v);
		} else
			scca_err(err, "not a prefetch file libscca reads", e);
		goto done;
	}
	opened = 1;
	r = pf_fields(f, rec, err);
done:
	if (opened)
		(void)libscca_file_close(f, NULL);
	if (f != NULL)
		libscca_file_free(&f, NULL);
	if (io != NULL)
		libbfio_handle_free(&io, NULL);
	free(unpacked);
	if (r == IRK_OK)
		*out = rec;
	else
		json_decref(rec);
	return r;
}

static int
is_pf(const char *name)
{
	size_t n = strlen(name);

	return n > 3 && strcasecmp(name + n - 3, ".pf") == 0;
}

/* One .pf file: read (bounded), parsed, its record handed over. */
static int
pf_one(struct irk_collect *c, const char *path, struct irk_buf *b)
{
	struct irk_stat st;
	struct irk_err err;
	json_t *rec;
	int r;

	irk_buf_reset(b);
	r = irk_fs_read_file(c->fs, path, b, &st, &err);
	if (r == IRK_TOOBIG) {
		irk_collect_log(c, IRK_LOG_WARN, path, 0, "prefetch file "
		    "larger than %u bytes, not read", IRK_PF_FILE_MAX);
		return IRK_WARN;
	}
	if (r != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, path, &err);
		return IRK_FAIL;
	}
	if (irk_prefetch_parse((const unsigned char *)b->data, b->len, path,
	    &rec, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_WARN, path, &err);
		return IRK_WARN;
	}
	irk_json_set_int(rec, "size", (int64_t)st.size);
	irk_json_set_time(rec, "mtime", st.mtime);
	irk_json_set_time(rec, "btime", st.btime);
	return irk_collect_record(c, rec);
}

static int
collect_prefetch(struct irk_collect *c)
{
	struct irk_dir *d = NULL;
	struct irk_dirent ent;
	struct irk_err err;
	struct irk_buf b;
	int r = IRK_OK, n = 0, more;

	if (c->fs->ops->opendir(c->fs, PF_DIR, &d, &err) != IRK_OK) {
		/* prefetching may be off (servers, SSDs): said, not an error */
		irk_collect_log(c, IRK_LOG_INFO, PF_DIR, 0, "no prefetch "
		    "folder");
		return IRK_OK;
	}
	irk_buf_init(&b, IRK_PF_FILE_MAX);
	while ((more = c->fs->ops->readdir(d, &ent)) == 1 && r != IRK_FATAL) {
		char path[600];

		if (!is_pf(ent.name) || (ent.type != 0 &&
		    ent.type != S_IFREG))
			continue;
		if (++n > PF_FILES_MAX) {
			irk_collect_log(c, IRK_LOG_WARN, PF_DIR, 0, "more than "
			    "%d prefetch files, the rest not read",
			    PF_FILES_MAX);
			r = irk_worst(r, IRK_WARN);
			break;
		}
		if (irk_path_join(path, sizeof(path), PF_DIR, ent.name) !=
		    IRK_OK)
			continue;
		r = irk_worst(r, pf_one(c, path, &b));
	}
	if (more < 0) {
		irk_collect_log(c, IRK_LOG_ERROR, PF_DIR, errno, "cannot list "
		    "the prefetch folder");
		r = irk_worst(r, IRK_FAIL);
	}
	c->fs->ops->closedir(d);
	irk_buf_release(&b);
	return r;
}

const struct irk_collector irk_collector_prefetch = {
	"prefetch", "Windows Prefetch files (programs run, files they used)",
	IRK_SRC_WINDOWS_ROOT, collect_prefetch
};

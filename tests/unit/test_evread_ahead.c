/*
 * test_evread_ahead.c - the evidence reader with its archive read on a
 * thread of its own (analyzer/evread_ahead.c) gives what the inline
 * reader gives, on archives written here with libarchive's writer (tar
 * + zstd): members larger than the queue's 8 MiB (the thread waits for
 * room), members taken whole (irk_evread_data_take) or read in odd
 * sizes, a member cut short; and a reader freed while its thread is
 * waiting on a full queue ends at once.  The oracle for the content is
 * the bytes written: SHA-256 of each member, as irk_sha256_hex gives.
 */
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <setjmp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <archive.h>
#include <archive_entry.h>

#include "evidence_read.h"
#include "irkit/sha256.h"

#define NMEMBERS 5

static const size_t sizes[NMEMBERS] = {
	0, 1, 300000, 20u << 20, 4097,		/* the fourth: over 8 MiB */
};

static char dir[] = "/tmp/irk-ahead.XXXXXX";

/* Member i's bytes: not compressible to nothing, the same each time. */
static unsigned char *
content(int i, size_t len)
{
	unsigned char *p = malloc(len ? len : 1);
	uint32_t x = 2463534242u + (uint32_t)i;

	assert_non_null(p);
	for (size_t k = 0; k < len; k++) {
		x ^= x << 13;
		x ^= x >> 17;
		x ^= x << 5;
		p[k] = (unsigned char)(k % 3 == 0 ? x : 'a' + k % 7);
	}
	return p;
}

/* A tar.zst of the members (the last one cut to cut bytes if cut > 0). */
static void
write_archive(const char *path, size_t cut)
{
	struct archive *a = archive_write_new();
	char name[64];

	assert_non_null(a);
	assert_int_equal(archive_write_set_format_pax_restricted(a),
	    ARCHIVE_OK);
	assert_int_equal(archive_write_add_filter_zstd(a), ARCHIVE_OK);
	assert_int_equal(archive_write_open_filename(a, path), ARCHIVE_OK);
	for (int i = 0; i < NMEMBERS; i++) {
		struct archive_entry *e = archive_entry_new();
		unsigned char *p = content(i, sizes[i]);

		snprintf(name, sizeof(name), "top/m%d.bin", i);
		archive_entry_set_pathname(e, name);
		archive_entry_set_filetype(e, AE_IFREG);
		archive_entry_set_perm(e, 0644);
		archive_entry_set_size(e, (la_int64_t)sizes[i]);
		archive_entry_set_mtime(e, 1700000000, 0);
		assert_int_equal(archive_write_header(a, e), ARCHIVE_OK);
		if (sizes[i] > 0)
			assert_int_equal(archive_write_data(a, p, sizes[i]),
			    (la_ssize_t)sizes[i]);
		archive_entry_free(e);
		free(p);
	}
	assert_int_equal(archive_write_close(a), ARCHIVE_OK);
	archive_write_free(a);
	if (cut > 0)
		assert_int_equal(truncate(path, (off_t)cut), 0);
}

/*
 * One read: each member's "name size sha256-of-what-was-read end" line
 * into out (end: 0 read to its end, -1 stopped), then the outcome.
 */
static void
read_all(const char *path, int ahead, int take, char *out, size_t outlen)
{
	struct irk_evread_opts o;
	struct irk_evread *r;
	struct irk_member m;
	struct irk_err err;
	char sha[IRK_SHA256_HEX], *buf = malloc(1 << 20);
	size_t used = 0;
	int n, i = 0;

	assert_non_null(buf);
	memset(&o, 0, sizeof(o));
	o.ahead = ahead;
	o.whole_max = 64u << 20;
	irk_err_clear(&err);
	assert_int_equal(irk_evread_open(&r, path, &o, &err), IRK_OK);
	while ((n = irk_evread_next(r, &m, &err)) == 1) {
		struct irk_hash h;
		ssize_t k = 0;
		void *whole = NULL;

		assert_int_equal(irk_hash_init(&h, 0), 0);
		if (take && (k = irk_evread_data_take(r, &whole)) > 0)
			irk_hash_update(&h, whole, (size_t)k);
		free(whole);
		/* sizes that do not divide the queue's chunks */
		while ((k = irk_evread_data(r, buf, 1 + (size_t)i * 70001)) > 0)
			irk_hash_update(&h, buf, (size_t)k);
		irk_hash_final(&h, sha, NULL, NULL);
		used += (size_t)snprintf(out + used, outlen - used,
		    "%s %lld %s %d\n", m.name, (long long)m.size, sha,
		    k < 0 ? -1 : 0);
		assert_true(used < outlen);
		i++;
	}
	irk_evread_finish(r);
	used += (size_t)snprintf(out + used, outlen - used, "end %d partial %d "
	    "verify %s\n", n, irk_evread_partial(r), irk_evread_verify(r));
	assert_true(used < outlen);
	irk_evread_free(r);
	free(buf);
}

static void
test_same_as_inline(void **state)
{
	char path[256], inl[4096], ahd[4096], tak[4096], want[256];
	char sha[IRK_SHA256_HEX];

	(void)state;
	snprintf(path, sizeof(path), "%s/whole.tar.zst", dir);
	write_archive(path, 0);
	read_all(path, 0, 0, inl, sizeof(inl));
	read_all(path, 1, 0, ahd, sizeof(ahd));
	read_all(path, 1, 1, tak, sizeof(tak));
	assert_string_equal(inl, ahd);
	assert_string_equal(inl, tak);
	/* and what was written */
	for (int i = 0; i < NMEMBERS; i++) {
		unsigned char *p = content(i, sizes[i]);

		irk_sha256_hex(p, sizes[i], sha);
		free(p);
		snprintf(want, sizeof(want), "top/m%d.bin %zu %s 0\n", i,
		    sizes[i], sha);
		assert_non_null(strstr(inl, want));
	}
	assert_non_null(strstr(inl, "end 0 partial 0 "));
}

static void
test_cut_short(void **state)
{
	char path[256], inl[4096], ahd[4096];
	struct stat st;

	(void)state;
	snprintf(path, sizeof(path), "%s/whole.tar.zst", dir);
	write_archive(path, 0);
	assert_int_equal(stat(path, &st), 0);
	snprintf(path, sizeof(path), "%s/cut.tar.zst", dir);
	/* the cut falls inside the 20 MiB member */
	write_archive(path, (size_t)st.st_size * 2 / 3);
	read_all(path, 0, 0, inl, sizeof(inl));
	read_all(path, 1, 1, ahd, sizeof(ahd));
	/* the same members, the same outcome (how much of the member cut
	 * short each read depends on the sizes asked of libarchive: its
	 * digest is left out of the comparison) */
	for (char *a = inl, *b = ahd; *a != '\0' || *b != '\0';) {
		char *ea = strchr(a, '\n'), *eb = strchr(b, '\n');
		size_t la, lb;

		assert_non_null(ea);
		assert_non_null(eb);
		la = (size_t)(ea - a);
		lb = (size_t)(eb - b);
		if (la > 3 && memcmp(ea - 3, " -1", 3) == 0) {
			/* stopped short: the same member, both stopped */
			assert_true(lb > 3 && memcmp(eb - 3, " -1", 3) == 0);
			assert_memory_equal(a, b, strcspn(a, " ") + 1);
		} else {
			assert_int_equal(la, lb);
			assert_memory_equal(a, b, la);
		}
		a = ea + 1;
		b = eb + 1;
	}
	assert_non_null(strstr(inl, "partial 1"));
	assert_non_null(strstr(ahd, "partial 1"));
	assert_non_null(strstr(ahd, "top/m3.bin 20971520 "));
}

static void
test_free_while_waiting(void **state)
{
	struct irk_evread_opts o;
	struct irk_evread *r;
	struct irk_member m;
	struct irk_err err;
	char path[256];
	struct timespec t0, t1, pause = { 0, 200 * 1000 * 1000 };
	double secs;

	(void)state;
	snprintf(path, sizeof(path), "%s/whole.tar.zst", dir);
	write_archive(path, 0);
	memset(&o, 0, sizeof(o));
	o.ahead = 1;		/* chunks: the queue fills at 8 MiB */
	irk_err_clear(&err);
	assert_int_equal(irk_evread_open(&r, path, &o, &err), IRK_OK);
	assert_int_equal(irk_evread_next(r, &m, &err), 1);
	nanosleep(&pause, NULL);	/* the thread is waiting for room */
	clock_gettime(CLOCK_MONOTONIC, &t0);
	irk_evread_free(r);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	secs = (double)(t1.tv_sec - t0.tv_sec) +
	    (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	assert_true(secs < 2.0);
}

static int
setup(void **state)
{
	(void)state;
	return mkdtemp(dir) == NULL;
}

static int
teardown(void **state)
{
	char p[256];

	(void)state;
	snprintf(p, sizeof(p), "%s/whole.tar.zst", dir);
	(void)unlink(p);
	snprintf(p, sizeof(p), "%s/cut.tar.zst", dir);
	(void)unlink(p);
	return rmdir(dir);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_as_inline),
		cmocka_unit_test(test_cut_short),
		cmocka_unit_test(test_free_while_waiting),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

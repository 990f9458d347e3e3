/*
 * bench_events.c - event inserts per second through irk_db_event (the
 * path every loader takes), into a fresh case database file.
 * Usage: bench_events DB [N]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include "db.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"

static double
cpu_s(void)
{
	struct rusage ru;

	getrusage(RUSAGE_SELF, &ru);
	return ru.ru_utime.tv_sec + ru.ru_stime.tv_sec +
	    (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) / 1e6;
}

int
main(int argc, char **argv)
{
	struct irk_db *db;
	struct irk_err err;
	uint64_t n = 2000000;
	int64_t t0, t1, t2, eid;
	char path[64], msg[96];
	double c0, c1;

	if (argc < 2 || (argc > 2 && irk_parse_u64(argv[2], 10, UINT64_MAX,
	    &n) != 0)) {
		fprintf(stderr, "usage: bench_events DB [N]\n");
		return 2;
	}
	if (irk_db_open(&db, argv[1], &err) != 0 ||
	    irk_db_evidence_add(db, "bench", "bench", 0, "archive", NULL, &eid,
	    &err) < 0) {
		fprintf(stderr, "%s\n", err.msg);
		return 3;
	}
	t0 = irk_now_us();
	c0 = cpu_s();
	irk_db_begin(db);
	for (uint64_t i = 0; i < n; i++) {
		(void)snprintf(path, sizeof(path), "/usr/lib/file%llu",
		    (unsigned long long)(i % 50000));
		(void)snprintf(msg, sizeof(msg), "event number %llu",
		    (unsigned long long)i);
		if (irk_db_event(db, 1700000000000000LL + (int64_t)(i * 7919 %
		    1000000007), "Content Modification Time", "M...", "FILE",
		    path, msg, "files", (int64_t)i + 1) != 0) {
			fprintf(stderr, "insert failed\n");
			return 3;
		}
	}
	irk_db_commit(db);
	t1 = irk_now_us();
	c1 = cpu_s();
	if (irk_db_finish_load(db, &err) != 0)
		return 3;
	t2 = irk_now_us();
	printf("events=%llu insert_wall_s=%.2f rate_wall=%.0f/s "
	    "insert_cpu_s=%.2f rate_cpu=%.0f/s finish_load_s=%.2f\n",
	    (unsigned long long)n, (t1 - t0) / 1e6, n / ((t1 - t0) / 1e6),
	    c1 - c0, n / (c1 - c0), (t2 - t1) / 1e6);
	irk_db_close(db);
	return 0;
}

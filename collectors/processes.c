/*
 * processes.c - one "process" record per process in the root's /proc.
 * (First cut: pid and name; the full collector replaces this.)
 */
#include <stdio.h>
#include <string.h>

#include "irkit/collect.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/banned.h"

static int
collect_processes(struct irk_collect *c)
{
	struct irk_dir *d;
	struct irk_dirent de;
	struct irk_err err;
	struct irk_buf b;
	int r;

	if (c->fs->ops->opendir(c->fs, "/proc", &d, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, "/proc", &err);
		return IRK_FAIL;
	}
	irk_buf_init(&b, 4096);
	while ((r = c->fs->ops->readdir(d, &de)) == 1) {
		char path[300];
		uint64_t pid;
		json_t *rec;

		if (irk_parse_u64(de.name, 10, INT32_MAX, &pid) != 0)
			continue;
		(void)snprintf(path, sizeof(path), "/proc/%s/comm", de.name);
		irk_buf_reset(&b);
		if (
		    irk_fs_read_file(c->fs, path, &b, NULL, &err) != IRK_OK)
			continue;
		rec = irk_record_new("process");
		irk_json_set_int(rec, "pid", (int64_t)pid);
		irk_json_set_strn(rec, "name", b.data, strcspn(b.data, "\n"));
		if (irk_collect_record(c, rec) == IRK_FATAL)
			break;
	}
	irk_buf_release(&b);
	c->fs->ops->closedir(d);
	return IRK_OK;
}

const struct irk_collector irk_collector_processes = {
	"processes", "running processes, their executables and sockets",
	IRK_SRC_LIVE, collect_processes,
};

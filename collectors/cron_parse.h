/*
 * cron_parse.h - pure parsers for the scheduled-task files the tasks
 * collector reads: crontab lines (system and user format), anacrontab
 * lines, and at(1) job files and their names.  No I/O: bytes in,
 * structures out, so they are unit tested and fuzzed directly.
 */
#ifndef IRKIT_CRON_PARSE_H
#define IRKIT_CRON_PARSE_H

#include <stddef.h>
#include <stdint.h>

enum {
	IRK_CRON_BLANK,		/* empty or white space */
	IRK_CRON_COMMENT,
	IRK_CRON_ENV,		/* NAME=value */
	IRK_CRON_ENTRY,		/* a job */
	IRK_CRON_BAD,		/* not cron: why says what is wrong */
};

#define IRK_CRON_LINE_MAX 8192	/* longer lines are reported, not parsed */

struct irk_cron_entry {
	int kind;
	const char *why;		/* static text, for IRK_CRON_BAD */
	char schedule[256];		/* as written: "*\/5 * * * *", "@daily" */
	char user[64];			/* system format only */
	char *command;			/* up to the first unescaped %, \% undone */
	char *input;			/* after the first %: stdin, % -> newline */
	char *env_name;
	char *env_value;
	/* the schedule as sets, for next-run computation */
	uint64_t minutes;		/* bit n: minute n */
	uint32_t hours;
	uint32_t mdays;			/* bits 1..31 */
	uint16_t months;		/* bits 1..12 */
	uint8_t wdays;			/* bits 0..6, Sunday 0 */
	int dom_star, dow_star;		/* field was "*": cron's OR rule */
	int reboot;			/* @reboot */
};

/*
 * Parse one line (without its newline; a trailing \r is ignored).
 * system_format: 1 for /etc/crontab and /etc/cron.d (user field).
 * Returns the kind; release with irk_cron_entry_release().
 */
int irk_cron_parse_line(const char *line, size_t len, int system_format,
    struct irk_cron_entry *out);
void irk_cron_entry_release(struct irk_cron_entry *e);

/*
 * The first time strictly after now (us, UTC) at which the entry runs,
 * or -1 (never within five years, or @reboot).
 */
int64_t irk_cron_next_run(const struct irk_cron_entry *e, int64_t now);

struct irk_anacron_entry {
	int kind;			/* IRK_CRON_* as above */
	const char *why;
	char period[32];		/* "1", "7", "@monthly" */
	char delay[32];
	char job_id[128];
	char *command;
	char *env_name;
	char *env_value;
};

int irk_anacron_parse_line(const char *line, size_t len,
    struct irk_anacron_entry *out);
void irk_anacron_entry_release(struct irk_anacron_entry *e);

/*
 * at job file names: queue letter, 5 hex digits of job number, 8 hex
 * digits of minutes since the epoch ("a0000d01a2b3c4").  0, or -1 when
 * the name is not a job's.
 */
int irk_at_parse_name(const char *name, char *queue, uint32_t *job,
    int64_t *run_at);

struct irk_at_job {
	int64_t uid, gid;		/* from "# atrun uid=N gid=N", or -1 */
	char *mail_user;		/* from "# mail USER 0" */
	char *cwd;			/* from "cd DIR || {" */
	char *commands;			/* the job's own lines, joined by \n */
	size_t ncommands;
};

/* Split a job file into its generated preamble and the job's lines. */
int irk_at_parse_job(const char *text, size_t len, struct irk_at_job *out);
void irk_at_job_release(struct irk_at_job *j);

#endif

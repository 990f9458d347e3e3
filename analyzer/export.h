/*
 * export.h - helpers export and report share: open the case database
 * read-only, open the output file (or standard output).  Both print
 * their own message on failure (they are used only by subcommands).
 */
#ifndef IRKIT_EXPORT_H
#define IRKIT_EXPORT_H

#include <stdio.h>

struct irk_db;

/* Read-only open (irk_db_open_reader); 0 or IRK_FATAL (printed). */
int irk_export_open_db(const char *path, struct irk_db **out);
/*
 * An output: NULL or "-" is stdout; a device or FIFO is written in
 * place; a file is written under a temporary name beside it (created
 * O_EXCL), which irk_export_finish_out renames over it when complete
 * and removes otherwise, so a failed run leaves the target as it was.
 * Never through a link.
 */
struct irk_outfile {
	FILE *fp;
	const char *path;	/* "-" for stdout */
	char *tmp;		/* the temporary name, or NULL */
};
/* 0, or IRK_FATAL (printed). */
int irk_export_open_out(struct irk_outfile *o, const char *path);
/*
 * Close (irk_export_close_out), then rename the temporary over the
 * target when complete and closed without error, else remove it.
 * irk_export_close_out's values; IRK_FATAL also when the rename fails.
 */
int irk_export_finish_out(struct irk_outfile *o, int complete);
/*
 * Flush and close (not stdout); 0, IRK_WARN when fp is a pipe whose
 * reader has gone (`| head`: not an error, nothing printed), or
 * IRK_FATAL on another write error (printed).
 */
int irk_export_close_out(FILE *fp, const char *path);

/* The subcommands (commands.h). */
int irk_cmd_export(int argc, char **argv);
int irk_cmd_report(int argc, char **argv);

#endif

/*
 * tasks.h - the tasks collector is assembled from parts: cron, anacron
 * and at jobs (tasks.c) and systemd timers (timers.c, which shares the
 * unit-file loader with the services collector).
 */
#ifndef IRKIT_TASKS_H
#define IRKIT_TASKS_H

#include "irkit/collect.h"

/*
 * One "task" record (kind "systemd-timer") per timer unit of system and
 * user scope, with its schedule, activated unit and that unit's command.
 * Returns IRK_OK or IRK_WARN (something could not be read; logged).
 */
int irk_tasks_timers(struct irk_collect *c);

#endif

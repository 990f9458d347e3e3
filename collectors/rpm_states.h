/*
 * rpm_states.h - an rpm root collected by irkit-collect (rpm_states.c):
 * its database copied, the state of the files in the default integrity
 * scope recorded (file_state records) for irkit-analyze ingest to check.
 */
#ifndef IRKIT_RPM_STATES_H
#define IRKIT_RPM_STATES_H

#include "irkit/collect.h"

/*
 * Where the root has an rpm database: IRK_OK (nothing done when it has
 * none), IRK_WARN (partial: an ndb database, a folder not walked to its
 * end, a file not read), IRK_FAIL or IRK_FATAL.
 */
int irk_rpm_states(struct irk_collect *c);

#endif

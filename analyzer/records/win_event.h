/*
 * win_event.h - what an event of a Windows event log means: a fixed
 * table keyed on (provider or channel, event id), never on the id alone
 * (ids collide across providers).  Message templates are not in EVTX
 * files; this table names each event and the EventData/UserData fields
 * its timeline message shows (docs/windows-events.md lists it).
 */
#ifndef IRKIT_WIN_EVENT_H
#define IRKIT_WIN_EVENT_H

#include <stddef.h>

struct irk_win_event_desc {
	const char *key;	/* a provider name or a channel */
	int id;			/* the event id */
	const char *what;	/* in words */
	const char *fields;	/* the data names the message shows,
				 * comma-separated */
};

/* The table; key NULL ends. */
extern const struct irk_win_event_desc irk_win_event_descs[];

/* The entry for an event of provider in channel (either may be NULL). */
const struct irk_win_event_desc *irk_win_event_desc(const char *provider,
    const char *channel, int id);

#endif

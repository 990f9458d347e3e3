/*
 * strmap.h - a small string-keyed hash map (open addressing).  Keys are
 * copied; values are owned by the caller unless a free function is set.
 */
#ifndef IRKIT_STRMAP_H
#define IRKIT_STRMAP_H

#include <stddef.h>

struct irk_strmap {
	struct irk_strmap_slot *slots;
	size_t cap;
	size_t count;
	void (*free_value)(void *);
};

void irk_strmap_init(struct irk_strmap *m, void (*free_value)(void *));
void irk_strmap_release(struct irk_strmap *m);
void *irk_strmap_get(const struct irk_strmap *m, const char *key);
int irk_strmap_has(const struct irk_strmap *m, const char *key);
/* Insert or replace (the old value is freed).  0, or -1 out of memory. */
int irk_strmap_put(struct irk_strmap *m, const char *key, void *value);
/* Iterate: *i starts at 0; returns 1 with key/value, 0 at the end. */
int irk_strmap_next(const struct irk_strmap *m, size_t *i, const char **key,
    void **value);

#endif

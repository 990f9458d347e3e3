/* strmap.c - string-keyed open-addressing hash map (see irkit/strmap.h). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "irkit/strmap.h"
#include "irkit/banned.h"

struct irk_strmap_slot {
	char *key;
	void *value;
	uint64_t hash;
};

static uint64_t
hash_str(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;	/* FNV-1a */

	while (*s)
		h = (h ^ (unsigned char)*s++) * 0x100000001b3ULL;
	return h;
}

void
irk_strmap_init(struct irk_strmap *m, void (*free_value)(void *))
{
	memset(m, 0, sizeof(*m));
	m->free_value = free_value;
}

void
irk_strmap_release(struct irk_strmap *m)
{
	for (size_t i = 0; i < m->cap; i++) {
		if (m->slots[i].key == NULL)
			continue;
		free(m->slots[i].key);
		if (m->free_value != NULL)
			m->free_value(m->slots[i].value);
	}
	free(m->slots);
	m->slots = NULL;
	m->cap = m->count = 0;
}

static struct irk_strmap_slot *
find(const struct irk_strmap *m, const char *key, uint64_t h)
{
	size_t i;

	if (m->cap == 0)
		return NULL;
	for (i = h & (m->cap - 1);; i = (i + 1) & (m->cap - 1)) {
		struct irk_strmap_slot *s = &m->slots[i];

		if (s->key == NULL)
			return s;
		if (s->hash == h && strcmp(s->key, key) == 0)
			return s;
	}
}

static int
rehash(struct irk_strmap *m)
{
	size_t ncap = m->cap ? m->cap * 2 : 64;
	struct irk_strmap_slot *old = m->slots;
	size_t ocap = m->cap;

	if ((m->slots = calloc(ncap, sizeof(*m->slots))) == NULL) {
		m->slots = old;
		return -1;
	}
	m->cap = ncap;
	for (size_t i = 0; i < ocap; i++) {
		if (old[i].key != NULL)
			*find(m, old[i].key, old[i].hash) = old[i];
	}
	free(old);
	return 0;
}

void *
irk_strmap_get(const struct irk_strmap *m, const char *key)
{
	struct irk_strmap_slot *s = find(m, key, hash_str(key));

	return s != NULL && s->key != NULL ? s->value : NULL;
}

int
irk_strmap_has(const struct irk_strmap *m, const char *key)
{
	struct irk_strmap_slot *s = find(m, key, hash_str(key));

	return s != NULL && s->key != NULL;
}

int
irk_strmap_put(struct irk_strmap *m, const char *key, void *value)
{
	uint64_t h = hash_str(key);
	struct irk_strmap_slot *s;

	if ((m->count + 1) * 4 >= m->cap * 3 && rehash(m) != 0)
		return -1;
	s = find(m, key, h);
	if (s->key != NULL) {
		if (m->free_value != NULL && s->value != value)
			m->free_value(s->value);
		s->value = value;
		return 0;
	}
	if ((s->key = strdup(key)) == NULL)
		return -1;
	s->value = value;
	s->hash = h;
	m->count++;
	return 0;
}

int
irk_strmap_next(const struct irk_strmap *m, size_t *i, const char **key,
    void **value)
{
	while (*i < m->cap) {
		struct irk_strmap_slot *s = &m->slots[(*i)++];

		if (s->key != NULL) {
			*key = s->key;
			if (value != NULL)
				*value = s->value;
			return 1;
		}
	}
	return 0;
}

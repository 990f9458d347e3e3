/* ioc.c - indicator lists: parse and match (see ioc.h). */
#include <arpa/inet.h>
#include <ctype.h>
#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "irkit/err.h"
#include "irkit/json.h"
#include "ioc.h"
#include "irkit/str.h"
#include "irkit/banned.h"

#define IOC_MAX_VALUE	1024	/* longer values are skipped as bad */

struct irk_ioc_val {
	char *source;
	char *description;
};

static const char *const kind_names[IRK_IOC_NKINDS] = {
	"auto", "sha256", "sha1", "md5", "domain", "ip", "filename",
};

/* Extensions that make "x.y" a file name rather than a domain. */
static const char *const file_exts[] = {
	"exe", "dll", "sys", "scr", "cpl", "ocx", "drv", "msi", "msp",
	"ps1", "psm1", "bat", "cmd", "vbs", "vbe", "js", "jse", "wsf", "hta",
	"jar", "class", "lnk", "sh", "py", "pl", "rb", "php", "asp", "aspx",
	"ashx", "asmx", "jsp", "jspx", "war", "elf", "bin", "so", "ko", "o",
	"dat", "tmp", "log", "txt", "ini", "cfg", "conf", "xml", "json",
	"zip", "rar", "7z", "gz", "tgz", "tar", "bz2", "xz", "iso", "img",
	"doc", "docx", "docm", "xls", "xlsx", "xlsm", "ppt", "pptx", "rtf",
	"pdf", "jpg", "jpeg", "png", "gif", "bmp", "dmp", "service", "timer",
	NULL,
};

static const char *
kind_name(int kind)
{
	if (kind < 0 || kind >= IRK_IOC_NKINDS)
		return "unknown";
	return kind_names[kind];
}

int
irk_ioc_kind_for_file(const char *path)
{
	static const struct {
		const char *suffix;
		int kind;
	} tab[] = {
		{ "sha256.txt", IRK_IOC_SHA256 }, { "sha1.txt", IRK_IOC_SHA1 },
		{ "md5.txt", IRK_IOC_MD5 }, { "domains.txt", IRK_IOC_DOMAIN },
		{ "ips.txt", IRK_IOC_IP }, { "filenames.txt", IRK_IOC_FILENAME },
	};
	const char *base = strrchr(path, '/');
	size_t n;

	base = base != NULL ? base + 1 : path;
	n = strlen(base);
	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		size_t m = strlen(tab[i].suffix);

		if (n < m || strcasecmp(base + n - m, tab[i].suffix) != 0)
			continue;
		/* the whole name, or after a separator: "x-sha256.txt" */
		if (n == m || base[n - m - 1] == '-' ||
		    base[n - m - 1] == '_' || base[n - m - 1] == '.')
			return tab[i].kind;
	}
	return IRK_IOC_AUTO;
}

static int
all_hex(const char *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isxdigit((unsigned char)v[i]))
			return 0;
	return 1;
}

/* Canonical text of an IPv4/IPv6 address into out, or 0. */
static int
canon_ip(const char *v, char *out, size_t outlen)
{
	unsigned char a[16];

	if (strchr(v, ':') == NULL) {
		/* inet_pton accepts only dotted quads: no "1.2.3" forms */
		if (inet_pton(AF_INET, v, a) == 1 &&
		    inet_ntop(AF_INET, a, out, outlen) != NULL)
			return 1;
		return 0;
	}
	if (inet_pton(AF_INET6, v, a) == 1 &&
	    inet_ntop(AF_INET6, a, out, outlen) != NULL)
		return 1;
	return 0;
}

static int
is_domain(const char *v)
{
	const char *last = NULL;
	size_t label = 0;

	if (*v == '\0' || *v == '.' || *v == '-')
		return 0;
	for (const char *p = v; *p != '\0'; p++) {
		unsigned char c = (unsigned char)*p;

		if (c == '.') {
			if (label == 0)
				return 0;
			label = 0;
			last = p + 1;
		} else if (isalnum(c) || c == '-' || c == '_') {
			if (++label > 63)
				return 0;
		} else {
			return 0;
		}
	}
	if (last == NULL || label == 0)
		return 0;
	/* the top-level label is not all digits */
	for (const char *p = last; *p != '\0'; p++)
		if (!isdigit((unsigned char)*p))
			return 1;
	return 0;
}

static int
has_file_ext(const char *v)
{
	const char *dot = strrchr(v, '.');

	if (dot == NULL)
		return 0;
	for (size_t i = 0; file_exts[i] != NULL; i++)
		if (strcasecmp(dot + 1, file_exts[i]) == 0)
			return 1;
	return 0;
}

int
irk_ioc_classify(const char *v)
{
	size_t n = strlen(v);
	char ip[INET6_ADDRSTRLEN];

	if (n == 0)
		return IRK_IOC_AUTO;
	if (all_hex(v, n)) {
		if (n == 64)
			return IRK_IOC_SHA256;
		if (n == 40)
			return IRK_IOC_SHA1;
		if (n == 32)
			return IRK_IOC_MD5;
	}
	if (canon_ip(v, ip, sizeof(ip)))
		return IRK_IOC_IP;
	if (strpbrk(v, "*?[/\\") != NULL || has_file_ext(v))
		return IRK_IOC_FILENAME;
	if (is_domain(v))
		return IRK_IOC_DOMAIN;
	if (n > 1 && n < 256 && v[n - 1] == '.') {
		char d[256];

		memcpy(d, v, n - 1);
		d[n - 1] = '\0';
		if (is_domain(d))
			return IRK_IOC_DOMAIN;	/* "example.com." */
	}
	if (strpbrk(v, " \t") == NULL)
		return IRK_IOC_FILENAME;	/* a bare name: "mimikatz" */
	return IRK_IOC_AUTO;
}

static void
free_val(void *p)
{
	struct irk_ioc_val *v = p;

	if (v == NULL)
		return;
	free(v->source);
	free(v->description);
	free(v);
}

void
irk_iocs_init(struct irk_iocs *io)
{
	memset(io, 0, sizeof(*io));
	for (int k = 0; k < IRK_IOC_NKINDS; k++)
		irk_strmap_init(&io->map[k], free_val);
}

void
irk_iocs_release(struct irk_iocs *io)
{
	for (int k = 0; k < IRK_IOC_NKINDS; k++)
		irk_strmap_release(&io->map[k]);
	for (size_t i = 0; i < io->npat; i++) {
		free(io->pat[i].glob);
		free(io->pat[i].source);
		free(io->pat[i].description);
	}
	free(io->pat);
	memset(io, 0, sizeof(*io));
}

/* Normalise v (lowercase already) for kind into out; 0 if it does not fit. */
static int
normalise(int kind, char *v, char *out, size_t outlen)
{
	size_t n = strlen(v);

	switch (kind) {
	case IRK_IOC_SHA256:
	case IRK_IOC_SHA1:
	case IRK_IOC_MD5:
		if (n != (kind == IRK_IOC_SHA256 ? 64u :
		    kind == IRK_IOC_SHA1 ? 40u : 32u) || !all_hex(v, n))
			return 0;
		break;
	case IRK_IOC_IP:
		return canon_ip(v, out, outlen);
	case IRK_IOC_DOMAIN:
		if (n > 0 && v[n - 1] == '.')
			v[--n] = '\0';
		if (!is_domain(v))
			return 0;
		break;
	case IRK_IOC_FILENAME:
		for (char *p = v; *p != '\0'; p++)
			if (*p == '\\')
				*p = '/';
		break;
	default:
		return 0;
	}
	if (n + 1 > outlen)
		return 0;
	memcpy(out, v, n + 1);
	return 1;
}

static int
add_value(struct irk_iocs *io, int kind, const char *v, const char *source,
    const char *desc, size_t desclen)
{
	struct irk_ioc_val *val;

	if (kind == IRK_IOC_FILENAME) {
		struct irk_ioc_pattern *p;

		for (size_t i = 0; i < io->npat; i++)
			if (strcmp(io->pat[i].glob, v) == 0)
				return IRK_OK;
		if (io->npat == io->cappat) {
			size_t cap = io->cappat ? io->cappat * 2 : 16;

			p = realloc(io->pat, cap * sizeof(*p));
			if (p == NULL)
				return IRK_FAIL;
			io->pat = p;
			io->cappat = cap;
		}
		p = &io->pat[io->npat];
		p->glob = strdup(v);
		p->whole_path = strchr(v, '/') != NULL;
		p->source = strdup(source);
		p->description = irk_dupn(desc, desclen);
		if (p->glob == NULL || p->source == NULL ||
		    p->description == NULL) {
			free(p->glob);
			free(p->source);
			free(p->description);
			return IRK_FAIL;
		}
		io->npat++;
		io->count++;
		return IRK_OK;
	}
	if (irk_strmap_has(&io->map[kind], v))
		return IRK_OK;	/* first list wins */
	if ((val = calloc(1, sizeof(*val))) == NULL)
		return IRK_FAIL;
	val->source = strdup(source);
	val->description = irk_dupn(desc, desclen);
	if (val->source == NULL || val->description == NULL ||
	    irk_strmap_put(&io->map[kind], v, val) != 0) {
		free_val(val);
		return IRK_FAIL;
	}
	io->count++;
	return IRK_OK;
}

static int
prefix_kind(char **v)
{
	static const struct {
		const char *p;
		int kind;
	} tab[] = {
		{ "sha256:", IRK_IOC_SHA256 }, { "sha1:", IRK_IOC_SHA1 },
		{ "md5:", IRK_IOC_MD5 }, { "domain:", IRK_IOC_DOMAIN },
		{ "ip:", IRK_IOC_IP }, { "filename:", IRK_IOC_FILENAME },
	};

	for (size_t i = 0; i < sizeof(tab) / sizeof(tab[0]); i++) {
		size_t n = strlen(tab[i].p);

		if (strncasecmp(*v, tab[i].p, n) == 0) {
			*v += n;
			return tab[i].kind;
		}
	}
	return IRK_IOC_AUTO;
}

int
irk_iocs_parse(struct irk_iocs *io, const char *text, size_t len,
    const char *source, int kind, size_t *bad)
{
	size_t pos = 0;
	char val[IOC_MAX_VALUE + 1], norm[IOC_MAX_VALUE + 1];

	while (pos < len) {
		const char *line = text + pos, *nl, *end, *p, *vend;
		const char *desc = "";
		size_t n, desclen = 0;
		char *v;
		int k;

		nl = memchr(line, '\n', len - pos);
		end = nl != NULL ? nl : text + len;
		pos = (size_t)(end - text) + (nl != NULL);
		/* trim */
		while (line < end && isspace((unsigned char)*line))
			line++;
		while (end > line && isspace((unsigned char)end[-1]))
			end--;
		if (line == end || *line == '#')
			continue;
		/* value up to whitespace; the rest may be "# description" */
		for (vend = line; vend < end && !isspace((unsigned char)*vend);
		    vend++)
			;
		for (p = vend; p < end && isspace((unsigned char)*p); p++)
			;
		if (p < end) {
			if (*p != '#') {
				if (bad != NULL)
					(*bad)++;
				continue;
			}
			for (p++; p < end && isspace((unsigned char)*p); p++)
				;
			desc = p;
			desclen = (size_t)(end - p);
		}
		n = (size_t)(vend - line);
		if (n > IOC_MAX_VALUE || memchr(line, '\0', n) != NULL) {
			if (bad != NULL)
				(*bad)++;
			continue;
		}
		for (size_t i = 0; i < n; i++)
			val[i] = (char)tolower((unsigned char)line[i]);
		val[n] = '\0';
		v = val;
		if ((k = prefix_kind(&v)) == IRK_IOC_AUTO)
			k = kind != IRK_IOC_AUTO ? kind : irk_ioc_classify(v);
		if (k == IRK_IOC_AUTO || !normalise(k, v, norm, sizeof(norm))) {
			if (bad != NULL)
				(*bad)++;
			continue;
		}
		if (desclen > 1024)
			desclen = 1024;
		if (add_value(io, k, norm, source, desc, desclen) != IRK_OK)
			return IRK_FAIL;
	}
	return IRK_OK;
}

static void
add_hit(json_t *hits, int kind, const char *value, const char *source,
    const char *desc)
{
	json_t *h;
	size_t i;

	/* one hit per (kind, value) in an array */
	json_array_foreach(hits, i, h) {
		const char *k = json_string_value(json_object_get(h, "kind"));
		const char *v = json_string_value(json_object_get(h, "value"));

		if (k != NULL && v != NULL &&
		    strcmp(k, kind_name(kind)) == 0 &&
		    strcmp(v, value) == 0)
			return;
	}
	if ((h = json_object()) == NULL)
		return;
	irk_json_set_str(h, "kind", kind_name(kind));
	irk_json_set_str(h, "value", value);
	irk_json_set_str(h, "source", source);
	irk_json_set_str(h, "description", desc);
	json_array_append_new(hits, h);
}

int
irk_iocs_match_hash(const struct irk_iocs *io, int kind, const char *hex,
    json_t *hits)
{
	const struct irk_ioc_val *v;

	if (kind < 0 || kind >= IRK_IOC_NKINDS || hex == NULL ||
	    hex[0] == '\0' || io->map[kind].count == 0)
		return 0;
	if ((v = irk_strmap_get(&io->map[kind], hex)) == NULL)
		return 0;
	add_hit(hits, kind, hex, v->source, v->description);
	return 1;
}

int
irk_iocs_match_name(const struct irk_iocs *io, const char *path,
    json_t *hits)
{
	char *low;
	const char *base;
	int n = 0;

	if (io->npat == 0 || path == NULL)
		return 0;
	if ((low = strdup(path)) == NULL)
		return 0;
	for (char *p = low; *p != '\0'; p++) {
		*p = (char)tolower((unsigned char)*p);
		if (*p == '\\')
			*p = '/';
	}
	base = strrchr(low, '/');
	base = base != NULL ? base + 1 : low;
	for (size_t i = 0; i < io->npat; i++) {
		const struct irk_ioc_pattern *p = &io->pat[i];

		if (fnmatch(p->glob, p->whole_path ? low : base, 0) == 0) {
			add_hit(hits, IRK_IOC_FILENAME, p->glob, p->source,
			    p->description);
			n++;
		}
	}
	free(low);
	return n;
}

/* A domain token: its own value and every parent domain. */
static int
match_domain(const struct irk_iocs *io, const char *tok, json_t *hits)
{
	for (const char *d = tok; d != NULL && *d != '\0';) {
		const struct irk_ioc_val *v = irk_strmap_get(
		    &io->map[IRK_IOC_DOMAIN], d);

		if (v != NULL) {
			add_hit(hits, IRK_IOC_DOMAIN, d, v->source,
			    v->description);
			return 1;
		}
		d = strchr(d, '.');
		if (d != NULL)
			d++;
	}
	return 0;
}

static int
match_ip(const struct irk_iocs *io, const char *tok, json_t *hits)
{
	char c[INET6_ADDRSTRLEN];
	const struct irk_ioc_val *v;

	if (!canon_ip(tok, c, sizeof(c)))
		return 0;
	if ((v = irk_strmap_get(&io->map[IRK_IOC_IP], c)) == NULL)
		return 0;
	add_hit(hits, IRK_IOC_IP, c, v->source, v->description);
	return 1;
}

static int
tokchar(int c, int v6)
{
	if (v6)
		return isxdigit(c) || c == ':' || c == '.';
	return isalnum(c) || c == '.' || c == '-' || c == '_';
}

/* Each maximal run of token characters, lowercased, trimmed of dots. */
static int
scan_tokens(const struct irk_iocs *io, const char *text, int v6, json_t *hits)
{
	char tok[256];
	int n = 0;

	for (const char *p = text; *p != '\0';) {
		const char *s;
		size_t len;

		if (!tokchar((unsigned char)*p, v6)) {
			p++;
			continue;
		}
		for (s = p; *p != '\0' && tokchar((unsigned char)*p, v6); p++)
			;
		while (s < p && (*s == '.' || *s == '-'))
			s++;
		len = (size_t)(p - s);
		while (len > 0 && (s[len - 1] == '.' || s[len - 1] == '-'))
			len--;
		if (len == 0 || len >= sizeof(tok))
			continue;
		for (size_t i = 0; i < len; i++)
			tok[i] = (char)tolower((unsigned char)s[i]);
		tok[len] = '\0';
		if (v6) {
			if (strchr(tok, ':') != NULL &&
			    io->map[IRK_IOC_IP].count > 0)
				n += match_ip(io, tok, hits);
			continue;
		}
		if (io->map[IRK_IOC_IP].count > 0 && match_ip(io, tok, hits)) {
			n++;
			continue;
		}
		if (io->map[IRK_IOC_DOMAIN].count > 0)
			n += match_domain(io, tok, hits);
	}
	return n;
}

int
irk_iocs_match_text(const struct irk_iocs *io, const char *text,
    json_t *hits)
{
	int n;

	if (text == NULL || (io->map[IRK_IOC_DOMAIN].count == 0 &&
	    io->map[IRK_IOC_IP].count == 0))
		return 0;
	n = scan_tokens(io, text, 0, hits);
	if (strchr(text, ':') != NULL)
		n += scan_tokens(io, text, 1, hits);
	return n;
}

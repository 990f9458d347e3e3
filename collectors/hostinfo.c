/* hostinfo.c - host facts from the target's own files (see hostinfo.h). */
#include <stdio.h>
#include <string.h>
#include <sys/utsname.h>

#include "irkit/hostinfo.h"
#include "irkit/json.h"
#include "irkit/parse.h"
#include "irkit/timeutil.h"
#include "irkit/banned.h"

/* First line of a small file, trimmed, or NULL. */
static json_t *
first_line(struct irk_fs *fs, const char *path)
{
	struct irk_buf b;
	json_t *j = NULL;
	size_t n;

	irk_buf_init(&b, 4096);
	if (irk_fs_read_file(fs, path, &b, NULL, NULL) != IRK_TOOBIG &&
	    b.len > 0) {
		n = strcspn(b.data, "\r\n");
		while (n > 0 && (b.data[n - 1] == ' ' || b.data[n - 1] == '\t'))
			n--;
		if (n > 0)
			j = irk_json_strn(b.data, n);
	}
	irk_buf_release(&b);
	return j ? j : json_null();
}

static json_t *
irk_hostinfo_parse_os_release(const char *text, size_t len)
{
	struct irk_buf b = { (char *)(uintptr_t)text, len, len + 1, len };
	const char *line;
	size_t pos = 0, n;
	json_t *o = json_object();

	while (irk_buf_next_line(&b, &pos, &line, &n)) {
		const char *eq = memchr(line, '=', n);
		char key[64];
		size_t kl, vl;
		const char *v;

		if (eq == NULL || line[0] == '#' || n > 1024)
			continue;
		kl = (size_t)(eq - line);
		if (kl == 0 || kl >= sizeof(key))
			continue;
		memcpy(key, line, kl);
		key[kl] = '\0';
		v = eq + 1;
		vl = n - kl - 1;
		if (vl >= 2 && (v[0] == '"' || v[0] == '\'') && v[vl - 1] == v[0]) {
			v++;
			vl -= 2;
		}
		irk_json_set_strn(o, key, v, vl);
	}
	return o;
}

static json_t *
os_release(struct irk_fs *fs)
{
	struct irk_buf b;
	json_t *o = NULL;

	irk_buf_init(&b, 65536);
	if (irk_fs_read_file(fs, "/etc/os-release", &b, NULL, NULL) == IRK_OK ||
	    irk_fs_read_file(fs, "/usr/lib/os-release", &b, NULL, NULL) ==
	    IRK_OK)
		o = irk_hostinfo_parse_os_release(b.data, b.len);
	irk_buf_release(&b);
	return o ? o : json_null();
}

static json_t *
boot_time(struct irk_fs *fs)
{
	struct irk_buf b;
	const char *line;
	size_t pos = 0, n;
	uint64_t v;
	json_t *j = NULL;

	irk_buf_init(&b, 1 << 20);
	if (irk_fs_read_file(fs, "/proc/stat", &b, NULL, NULL) == IRK_OK) {
		while (irk_buf_next_line(&b, &pos, &line, &n)) {
			if (n > 6 && strncmp(line, "btime ", 6) == 0 &&
			    irk_parse_u64n(line + 6, n - 6, 10, UINT32_MAX,
			    &v) == 0) {
				char t[IRK_TIME_LEN];

				j = json_string(irk_time_fmt((int64_t)v *
				    1000000, t));
				break;
			}
		}
	}
	irk_buf_release(&b);
	return j ? j : json_null();
}

static json_t *
timezone_name(struct irk_fs *fs)
{
	struct irk_buf b;
	json_t *j = first_line(fs, "/etc/timezone");
	const char *p;

	if (!json_is_null(j))
		return j;
	irk_buf_init(&b, 4096);
	if (fs->ops->readlink(fs, "/etc/localtime", &b, NULL) == IRK_OK &&
	    (p = strstr(b.data, "zoneinfo/")) != NULL) {
		json_decref(j);
		j = irk_json_str(p + 9);
	}
	irk_buf_release(&b);
	return j;
}

json_t *
irk_hostinfo(struct irk_fs *fs, int live)
{
	json_t *o = json_object();
	struct utsname u;
	int have_uname = live && uname(&u) == 0;

	json_object_set_new(o, "hostname", first_line(fs, "/etc/hostname"));
	if (json_is_null(json_object_get(o, "hostname")) && have_uname)
		irk_json_set_str(o, "hostname", u.nodename);
	json_object_set_new(o, "machine_id", first_line(fs, "/etc/machine-id"));
	json_object_set_new(o, "boot_id",
	    first_line(fs, "/proc/sys/kernel/random/boot_id"));
	json_object_set_new(o, "os_release", os_release(fs));
	json_object_set_new(o, "kernel",
	    first_line(fs, "/proc/sys/kernel/osrelease"));
	if (have_uname) {
		irk_json_set_str(o, "kernel_version", u.version);
		irk_json_set_str(o, "arch", u.machine);
	} else
		json_object_set_new(o, "arch", json_null());
	json_object_set_new(o, "boot_time", boot_time(fs));
	json_object_set_new(o, "timezone", timezone_name(fs));
	return o;
}

/*
 * win_services.c - Windows services from the SYSTEM hive of an image:
 * the current control set (Select\Current), every key under Services
 * with a Type value: ImagePath, Start, Type, ObjectName, DisplayName,
 * Description, Parameters\ServiceDll, the key's last-written time.
 * Records: "service" of kind "windows" (docs/images.md).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <jansson.h>

#include "image.h"
#include "win_reg.h"
#include "irkit/json.h"
#include "irkit/banned.h"

#define SYSTEM_HIVE	"/Windows/System32/config/SYSTEM"

static const char *
start_mode(uint32_t s)
{
	switch (s) {
	case 0: return "boot";
	case 1: return "system";
	case 2: return "auto";
	case 3: return "manual";
	case 4: return "disabled";
	default: return "unknown";
	}
}

static const char *
svc_type(uint32_t t)
{
	switch (t & ~0x100U) {
	case 0x1: return "kernel-driver";
	case 0x2: return "filesystem-driver";
	case 0x4: return "adapter";
	case 0x8: return "recognizer-driver";
	case 0x10: return "own-process";
	case 0x20: return "share-process";
	case 0x50: return "user-own-process";
	case 0x60: return "user-share-process";
	default: return "other";
	}
}

/* The control set in use: "ControlSet00N" from Select\Current. */
static int
current_set(struct irk_hive *h, char *out, size_t len)
{
	libregf_key_t *sel = irk_hive_key(h, "\\Select");
	uint32_t cur = 0;
	int r = -1;

	if (sel != NULL) {
		if (irk_reg_dword(sel, "Current", &cur) == 0 && cur > 0 &&
		    cur < 1000)
			r = 0;
		libregf_key_free(&sel, NULL);
	}
	if (r != 0)
		cur = 1;	/* no Select key: the usual default */
	snprintf(out, len, "ControlSet%03u", cur);
	return r;
}

char *
irk_win_computer_name(struct irk_fs *fs)
{
	struct irk_hive h;
	struct irk_err err;
	libregf_key_t *k;
	char set[32], path[128];
	char *name = NULL;

	if (irk_hive_open(&h, fs, SYSTEM_HIVE, &err) != IRK_OK)
		return NULL;
	current_set(&h, set, sizeof(set));
	snprintf(path, sizeof(path),
	    "\\%s\\Control\\ComputerName\\ComputerName", set);
	if ((k = irk_hive_key(&h, path)) != NULL) {
		name = irk_reg_str(k, "ComputerName");
		libregf_key_free(&k, NULL);
	}
	irk_hive_close(&h);
	return name;
}

static json_t *
service(libregf_key_t *k, const char *name, const char *keypath)
{
	json_t *rec;
	uint32_t start, type;
	char *image, *dll, *acct, *disp, *desc;
	libregf_key_t *par;

	if (irk_reg_dword(k, "Type", &type) != 0)
		return NULL;
	if ((rec = irk_record_new("service")) == NULL)
		return NULL;
	image = irk_reg_str(k, "ImagePath");
	acct = irk_reg_str(k, "ObjectName");
	disp = irk_reg_str(k, "DisplayName");
	desc = irk_reg_str(k, "Description");
	dll = NULL;
	if ((par = irk_reg_subkey(k, "Parameters")) != NULL) {
		dll = irk_reg_str(par, "ServiceDll");
		libregf_key_free(&par, NULL);
	}
	if (dll == NULL)
		dll = irk_reg_str(k, "ServiceDll");
	irk_json_set_str(rec, "name", name);
	irk_json_set_str(rec, "kind", "windows");
	irk_json_set_str(rec, "scope", "system");
	irk_json_set_str(rec, "display_name", disp);
	irk_json_set_str(rec, "description", desc != NULL ? desc : disp);
	irk_json_set_str(rec, "image_path", image);
	irk_json_set_str(rec, "command", image);
	irk_json_set_str(rec, "service_dll", dll);
	irk_json_set_str(rec, "account", acct);
	irk_json_set_str(rec, "user", acct);
	irk_json_set_str(rec, "unit_type", svc_type(type));
	irk_json_set_int(rec, "service_type", type);
	if (irk_reg_dword(k, "Start", &start) == 0) {
		irk_json_set_str(rec, "start_mode", start_mode(start));
		irk_json_set_int(rec, "start", start);
		irk_json_set_bool(rec, "enabled", start <= 2);
	}
	irk_json_set_str(rec, "fragment_path", keypath);
	irk_json_set_str(rec, "source_path", keypath);
	irk_json_set_time(rec, "mtime", irk_reg_key_time(k));
	irk_json_set_time(rec, "key_last_written", irk_reg_key_time(k));
	free(image);
	free(dll);
	free(acct);
	free(disp);
	free(desc);
	return rec;
}

static int
win_services(struct irk_collect *c)
{
	struct irk_hive h;
	struct irk_err err;
	libregf_key_t *svcs;
	char set[32], path[128], name[512], keypath[1024];
	int n, i, r = IRK_OK;

	if (irk_hive_open(&h, c->fs, SYSTEM_HIVE, &err) != IRK_OK) {
		irk_collect_log_err(c, IRK_LOG_ERROR, SYSTEM_HIVE, &err);
		return IRK_FAIL;
	}
	r = irk_hive_report(&h, c);
	if (current_set(&h, set, sizeof(set)) != 0)
		irk_collect_log(c, IRK_LOG_WARN, SYSTEM_HIVE, 0,
		    "no Select\\Current, using %s", set);
	snprintf(path, sizeof(path), "\\%s\\Services", set);
	if ((svcs = irk_hive_key(&h, path)) == NULL) {
		irk_collect_log(c, IRK_LOG_ERROR, SYSTEM_HIVE, 0,
		    "no %s in the hive", path);
		irk_hive_close(&h);
		return IRK_FAIL;
	}
	n = irk_reg_nsubkeys(svcs);
	for (i = 0; i < n; i++) {
		libregf_key_t *k = irk_reg_subkey_read(svcs, i, &err);
		json_t *rec;

		if (k == NULL) {
			/* a service hidden from the list: the image is partial */
			irk_collect_log(c, IRK_LOG_ERROR, SYSTEM_HIVE, 0,
			    "key '%s': sub-key %d of %d cannot be read (%s): "
			    "that service is not listed", path, i + 1, n,
			    err.msg);
			r = irk_worst(r, IRK_WARN);
			continue;
		}
		irk_reg_key_name(k, name, sizeof(name));
		snprintf(keypath, sizeof(keypath), "%s:%s\\%s", SYSTEM_HIVE,
		    path, name);
		rec = service(k, name, keypath);
		libregf_key_free(&k, NULL);
		if (rec != NULL && irk_collect_record(c, rec) == IRK_FATAL) {
			r = IRK_FATAL;
			break;
		}
	}
	libregf_key_free(&svcs, NULL);
	irk_hive_close(&h);
	return r;
}

const struct irk_collector irk_collector_win_services = {
	"win_services", "Windows services from the SYSTEM hive",
	IRK_SRC_WINDOWS_ROOT, win_services,
};

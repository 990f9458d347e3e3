/*
 * win_certs.c - certificates in the Windows registry stores of an image:
 * SOFTWARE\Microsoft\SystemCertificates\<store>\Certificates\<sha1>\Blob
 * (and the same under SOFTWARE\Policies), and each user's NTUSER.DAT
 * Software\Microsoft\SystemCertificates.  The Blob's property 0x20 is
 * the DER certificate, decoded by the certificate collector's own
 * parser into the same "certificate" records as on Linux, with "store".
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <jansson.h>

#include "irkit/cert_parse.h"
#include "image.h"
#include "win_reg.h"
#include "irkit/json.h"
#include "irkit/le.h"
#include "irkit/banned.h"

#define SOFTWARE_HIVE	"/Windows/System32/config/SOFTWARE"
#define BLOB_MAX	(1U << 20)
#define PROP_CERT	0x20

int
irk_win_cert_blob_der(const unsigned char *blob, size_t len,
    const unsigned char **der, size_t *derlen)
{
	size_t off = 0;

	while (len - off >= 12) {
		uint32_t id = irk_le32(blob + off);
		uint32_t plen = irk_le32(blob + off + 8);

		off += 12;
		if (plen > len - off)
			return -1;
		if (id == PROP_CERT) {
			if (plen == 0)
				return -1;
			*der = blob + off;
			*derlen = plen;
			return 0;
		}
		off += plen;
	}
	return -1;
}

/* Every <store>\Certificates\<thumbprint>\Blob under key. */
static int
stores(struct irk_collect *c, libregf_key_t *root, const char *hive,
    const char *keypath, const char *prefix, int trusted_stores)
{
	int ns = irk_reg_nsubkeys(root), r = IRK_OK;

	for (int i = 0; i < ns && r != IRK_FATAL; i++) {
		libregf_key_t *sk = irk_reg_subkey_at(root, i);
		libregf_key_t *certs;
		char store[256];
		int nc;

		if (sk == NULL)
			continue;
		irk_reg_key_name(sk, store, sizeof(store));
		certs = irk_reg_subkey(sk, "Certificates");
		libregf_key_free(&sk, NULL);
		if (certs == NULL)
			continue;
		nc = irk_reg_nsubkeys(certs);
		for (int j = 0; j < nc && r != IRK_FATAL; j++) {
			libregf_key_t *ck = irk_reg_subkey_at(certs, j);
			const unsigned char *der;
			unsigned char *blob;
			size_t blen = 0, dlen;
			char thumb[256], path[2048], st[300];
			struct irk_err err;
			json_t *rec;

			if (ck == NULL)
				continue;
			irk_reg_key_name(ck, thumb, sizeof(thumb));
			snprintf(path, sizeof(path), "%s:%s\\%s\\Certificates\\%s",
			    hive, keypath, store, thumb);
			blob = irk_reg_bin(ck, "Blob", BLOB_MAX, &blen);
			if (blob == NULL) {
				libregf_key_free(&ck, NULL);
				continue;
			}
			if (irk_win_cert_blob_der(blob, blen, &der, &dlen) != 0) {
				irk_collect_log(c, IRK_LOG_WARN, path, 0,
				    "certificate blob without a certificate");
				r = irk_worst(r, IRK_WARN);
			} else if ((rec = irk_cert_record_from_der(der, dlen, path,
			    0, &err)) == NULL) {
				irk_collect_log_err(c, IRK_LOG_WARN, path, &err);
				r = irk_worst(r, IRK_WARN);
			} else {
				snprintf(st, sizeof(st), "%s%s", prefix, store);
				irk_json_set_str(rec, "store", st);
				irk_json_set_str(rec, "thumbprint", thumb);
				irk_json_set_str(rec, "source", "registry");
				if (trusted_stores)
					irk_json_set_bool(rec, "in_trust_store",
					    strcasecmp(store, "ROOT") == 0 ||
					    strcasecmp(store, "AuthRoot") == 0);
				irk_json_set_time(rec, "mtime",
				    irk_reg_key_time(ck));
				if (irk_collect_record(c, rec) == IRK_FATAL)
					r = IRK_FATAL;
			}
			free(blob);
			libregf_key_free(&ck, NULL);
		}
		libregf_key_free(&certs, NULL);
	}
	return r;
}

static int
hive_stores(struct irk_collect *c, const char *hive, const char *const *keys,
    size_t nkeys, const char *prefix, int must)
{
	struct irk_hive h;
	struct irk_err err;
	int r = IRK_OK;

	if (irk_hive_open(&h, c->fs, hive, &err) != IRK_OK) {
		irk_collect_log_err(c, must ? IRK_LOG_ERROR : IRK_LOG_WARN,
		    hive, &err);
		return must ? IRK_FAIL : IRK_WARN;
	}
	r = irk_hive_report(&h, c);
	for (size_t i = 0; i < nkeys && r != IRK_FATAL; i++) {
		libregf_key_t *k = irk_hive_key(&h, keys[i]);

		if (k == NULL)
			continue;
		r = irk_worst(r, stores(c, k, hive, keys[i], prefix, 1));
		libregf_key_free(&k, NULL);
	}
	irk_hive_close(&h);
	return r;
}

static int
win_certs(struct irk_collect *c)
{
	static const char *const machine[] = {
		"\\Microsoft\\SystemCertificates",
		"\\Policies\\Microsoft\\SystemCertificates",
		"\\Microsoft\\EnterpriseCertificates",
	};
	static const char *const user[] = {
		"\\Software\\Microsoft\\SystemCertificates",
		"\\Software\\Policies\\Microsoft\\SystemCertificates",
	};
	static const char *const homes[] = {
		"/Users", "/Documents and Settings",
	};
	int r;

	r = hive_stores(c, SOFTWARE_HIVE, machine, 3, "", 1);
	for (size_t i = 0; i < 2 && r != IRK_FATAL; i++) {
		struct irk_dir *d;
		struct irk_dirent ent;
		struct irk_err err;
		char hive[1024], prefix[300];

		if (c->fs->ops->opendir(c->fs, homes[i], &d, &err) != IRK_OK)
			continue;
		while (c->fs->ops->readdir(d, &ent) == 1 && r != IRK_FATAL) {
			struct irk_stat st;

			if (ent.type != S_IFDIR)
				continue;
			snprintf(hive, sizeof(hive), "%s/%s/NTUSER.DAT",
			    homes[i], ent.name);
			if (c->fs->ops->stat(c->fs, hive, 0, &st, &err) !=
			    IRK_OK || !S_ISREG(st.mode))
				continue;
			snprintf(prefix, sizeof(prefix), "user:%s:", ent.name);
			r = irk_worst(r, hive_stores(c, hive, user, 2, prefix,
			    0));
		}
		c->fs->ops->closedir(d);
	}
	return r;
}

const struct irk_collector irk_collector_win_certs = {
	"win_certs", "certificates in the Windows registry stores",
	IRK_SRC_WINDOWS_ROOT, win_certs,
};

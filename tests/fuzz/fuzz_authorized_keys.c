/*
 * fuzz_authorized_keys.c - authorized_keys, known_hosts and sshd_config
 * lines, and a public key blob read as each key type.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ssh_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const types[] = { "ssh-rsa", "ssh-dss",
	    "ssh-ed25519", "ecdsa-sha2-nistp256",
	    "ssh-rsa-cert-v01@openssh.com", NULL };
	const char *s = (const char *)data, *kw, *arg, *marker;
	size_t kwlen, arglen;
	json_t *hosts = json_array();
	int hashed;
	char fp[64];

	json_decref(irk_authorized_key_line(s, size));
	(void)irk_known_hosts_line(s, size, hosts, &hashed, &marker);
	json_decref(hosts);
	(void)irk_sshd_config_line(s, size, &kw, &kwlen, &arg, &arglen);
	for (int i = 0; types[i] != NULL; i++)
		(void)irk_ssh_key_bits(data, size, types[i], strlen(types[i]));
	irk_ssh_fingerprint(data, size, fp);
	return 0;
}

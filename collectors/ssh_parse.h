/*
 * ssh_parse.h - parsers of OpenSSH's files for the ssh collector and its
 * fuzz harness: authorized_keys lines (sshd(8) "AUTHORIZED_KEYS FILE
 * FORMAT"), public key blobs (RFC 4253 6.6, RFC 5656, RFC 8709),
 * known_hosts lines and sshd_config lines.
 */
#ifndef IRKIT_SSH_PARSE_H
#define IRKIT_SSH_PARSE_H

#include <stddef.h>
#include <jansson.h>

/*
 * A public key blob of the type named: its size in bits as ssh-keygen -l
 * prints it (RSA modulus, DSA p, the ECDSA curve, 256 for Ed25519), or
 * -1 when the blob is not a key of that type.
 */
int irk_ssh_key_bits(const unsigned char *blob, size_t len, const char *type,
    size_t typelen);

/* "SHA256:" and the unpadded base64 of the blob's SHA-256 (out: 51+). */
void irk_ssh_fingerprint(const unsigned char *blob, size_t len,
    char out[64]);

/*
 * One authorized_keys line (not blank, not a comment) as an "ssh_key"
 * record: options (as written), forced_command, from, key_type, bits,
 * fingerprint, comment.  NULL when it is not a key line.
 */
json_t *irk_authorized_key_line(const char *line, size_t len);

/*
 * One known_hosts line: 1 an entry (its unhashed host names appended to
 * hosts, *hashed set when they are hashed, *marker to "@cert-authority"
 * or "@revoked" or NULL), 0 blank or comment, -1 not an entry.
 */
int irk_known_hosts_line(const char *line, size_t len, json_t *hosts,
    int *hashed, const char **marker);

/*
 * One sshd_config line split: the keyword (kw, kwlen) and its arguments
 * (arg, arglen, without the optional "=").  0 with a keyword, 1 blank or
 * comment, -1 not a line of the format.
 */
int irk_sshd_config_line(const char *line, size_t len, const char **kw,
    size_t *kwlen, const char **arg, size_t *arglen);

#endif

#ifndef GRADLOG_CSHA256_H
#define GRADLOG_CSHA256_H

#include <stddef.h>
#include <stdint.h>

/* An incremental SHA-256 (FIPS 180-4) whose compression uses the CPU's SHA instructions where
   there are some (x86-64 SHA-NI), else portable C: a run's fingerprint hashes every row it logs,
   which must cost the recorder next to nothing. */
typedef struct {
    uint32_t state[8];
    uint8_t buffer[64];
    uint64_t length;   /* bytes added so far */
    uint32_t used;     /* bytes waiting in buffer */
} gradlog_sha256;

/* Starts an empty hash. */
void gradlog_sha256_init(gradlog_sha256 *hash);

/* Adds count bytes to the message. */
void gradlog_sha256_update(gradlog_sha256 *hash, const uint8_t *bytes, size_t count);

/* Writes the 32-byte digest of the message so far, leaving hash as it was (more may be added). */
void gradlog_sha256_digest(const gradlog_sha256 *hash, uint8_t digest[32]);

/* 1 when the SHA instructions are used, 0 for the portable code. */
int gradlog_sha256_accelerated(void);

/* With on = 1, every hash uses the portable code (for tests that compare the two). */
void gradlog_sha256_portable_only(int on);

#endif

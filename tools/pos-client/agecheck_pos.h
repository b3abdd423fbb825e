/* SPDX-License-Identifier: Apache-2.0 */
/* agecheck_pos: a dependency-free C client for the agecheck POS link (protocol v1).
 * Copy this header and agecheck_pos.c into a POS application; they need only libc (POSIX).
 * The protocol is specified in src/pos/PROTOCOL.md. */
#ifndef AGECHECK_POS_H
#define AGECHECK_POS_H

#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/** What a call returned. */
enum agecheck_pos_result {
	AGECHECK_POS_OVER = 0,        /**< the customer is over the threshold */
	AGECHECK_POS_NOT_OVER = 1,    /**< not over, or not verified: do not sell without a manual check */
	AGECHECK_POS_ERROR_REPLY = 3, /**< the service answered with an error code (see error_code) */
	AGECHECK_POS_NO_ANSWER = 4    /**< no service, a broken connection, or no reply in time */
};

/** Asks the service at socket_path whether the customer now at the kiosk is over `threshold`
 *  (one the service's policy offers), waiting up to timeout_ms for the cashier to show an ID.
 *  On AGECHECK_POS_ERROR_REPLY the code ("timeout", "busy", ...) is copied into error_code
 *  (NUL-terminated, if error_code is not NULL and error_len > 0). Blocks; thread-safe. */
int agecheck_pos_check(const char* socket_path, int threshold, int timeout_ms, char* error_code, size_t error_len);

/** Asks for the service's status and copies the reply line (a JSON object) into reply.
 *  Returns 0 on success, AGECHECK_POS_NO_ANSWER otherwise. */
int agecheck_pos_status(const char* socket_path, int timeout_ms, char* reply, size_t reply_len);

#ifdef __cplusplus
}
#endif

#endif /* AGECHECK_POS_H */

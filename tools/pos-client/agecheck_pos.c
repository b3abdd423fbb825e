/* SPDX-License-Identifier: Apache-2.0 */
#define _POSIX_C_SOURCE 200809L
#include "agecheck_pos.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

enum { LINE_MAX_BYTES = 1024 };

static long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Connects, sends `request` (a line ending in '\n'), and reads one reply line into `reply`
 * without its '\n'. Returns 0, or -1 on any failure or when deadline_ms passes. */
static int call(const char* path, const char* request, char* reply, size_t reply_len, long deadline_ms)
{
	struct sockaddr_un addr;
	size_t got = 0, sent = 0, len = strlen(request);
	int fd, rc = -1;

	if (!path || strlen(path) >= sizeof addr.sun_path || reply_len == 0)
		return -1;
	memset(&addr, 0, sizeof addr);
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr*)&addr, sizeof addr) != 0)
		goto out;
	while (sent < len) {
		ssize_t n = send(fd, request + sent, len - sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		sent += (size_t)n;
	}
	for (;;) {
		struct pollfd p = {fd, POLLIN, 0};
		long left = deadline_ms - now_ms();
		ssize_t n;
		char* nl;
		if (left <= 0 || got + 1 >= reply_len)
			goto out;
		n = poll(&p, 1, (int)left);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		n = recv(fd, reply + got, reply_len - 1 - got, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			goto out;
		got += (size_t)n;
		reply[got] = '\0';
		nl = memchr(reply, '\n', got);
		if (nl) {
			*nl = '\0';
			rc = 0;
			goto out;
		}
	}
out:
	close(fd);
	return rc;
}

/* The value after "key": in a compact or spaced JSON object, or NULL. */
static const char* value_of(const char* json, const char* key)
{
	char quoted[32];
	const char* p;
	snprintf(quoted, sizeof quoted, "\"%s\"", key);
	p = strstr(json, quoted);
	if (!p)
		return NULL;
	p += strlen(quoted);
	while (*p == ' ' || *p == '\t')
		++p;
	if (*p != ':')
		return NULL;
	++p;
	while (*p == ' ' || *p == '\t')
		++p;
	return p;
}

int agecheck_pos_check(const char* socket_path, int threshold, int timeout_ms, char* error_code, size_t error_len)
{
	char request[128], reply[LINE_MAX_BYTES + 1];
	const char* v;
	if (threshold < 1 || threshold > 125 || timeout_ms < 1)
		return AGECHECK_POS_NO_ANSWER;
	snprintf(request, sizeof request, "{\"v\":1,\"op\":\"check\",\"threshold\":%d,\"timeout_ms\":%d}\n", threshold,
			 timeout_ms);
	if (call(socket_path, request, reply, sizeof reply, now_ms() + timeout_ms + 5000) != 0)
		return AGECHECK_POS_NO_ANSWER;
	if ((v = value_of(reply, "over")) != NULL)
		return strncmp(v, "true", 4) == 0 ? AGECHECK_POS_OVER : AGECHECK_POS_NOT_OVER;
	if ((v = value_of(reply, "error")) != NULL && *v == '"') {
		if (error_code && error_len > 0) {
			size_t i = 0;
			for (++v; *v && *v != '"' && i + 1 < error_len; ++v)
				error_code[i++] = *v;
			error_code[i] = '\0';
		}
		return AGECHECK_POS_ERROR_REPLY;
	}
	return AGECHECK_POS_NO_ANSWER;
}

int agecheck_pos_status(const char* socket_path, int timeout_ms, char* reply, size_t reply_len)
{
	char line[LINE_MAX_BYTES + 1];
	if (call(socket_path, "{\"v\":1,\"op\":\"status\"}\n", line, sizeof line, now_ms() + timeout_ms) != 0)
		return AGECHECK_POS_NO_ANSWER;
	if (reply && reply_len > 0)
		snprintf(reply, reply_len, "%s", line);
	return 0;
}

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

static long long now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* Waits for `events` on fd until deadline_ms; 0 when ready, -1 on timeout or error. */
static int wait_for(int fd, short events, long long deadline_ms)
{
	for (;;) {
		struct pollfd p;
		long long left = deadline_ms - now_ms();
		int n;
		if (left <= 0)
			return -1;
		p.fd = fd;
		p.events = events;
		p.revents = 0;
		n = poll(&p, 1, left > 1000000 ? 1000000 : (int)left);
		if (n > 0)
			return 0;
		if (n < 0 && errno != EINTR)
			return -1;
	}
}

/* Connects, sends `request` (a line ending in '\n'), and reads one reply line into `reply`
 * without its '\n'. Returns 0, or -1 on any failure or when deadline_ms passes. */
static int call(const char* path, const char* request, char* reply, size_t reply_len, long long deadline_ms)
{
	struct sockaddr_un addr;
	size_t got = 0, sent = 0, len = strlen(request);
	int fd, rc = -1;

	if (!path || strlen(path) >= sizeof addr.sun_path || reply_len == 0)
		return -1;
	memset(&addr, 0, sizeof addr);
	addr.sun_family = AF_UNIX;
	memcpy(addr.sun_path, path, strlen(path) + 1);
	/* Non-blocking throughout, so that no step can outlast the deadline (a full backlog fails). */
	fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (struct sockaddr*)&addr, sizeof addr) != 0)
		goto out;
	while (sent < len) {
		ssize_t n = send(fd, request + sent, len - sent, MSG_NOSIGNAL);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			if (wait_for(fd, POLLOUT, deadline_ms) != 0)
				goto out;
			continue;
		}
		if (n <= 0)
			goto out;
		sent += (size_t)n;
	}
	for (;;) {
		ssize_t n;
		char* nl;
		if (got + 1 >= reply_len || wait_for(fd, POLLIN, deadline_ms) != 0)
			goto out;
		n = recv(fd, reply + got, reply_len - 1 - got, 0);
		if (n < 0 && (errno == EINTR || errno == EAGAIN || errno == EWOULDBLOCK))
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

/* The server's replies are fixed lines: anything that is not exactly one of them is no answer,
 * so that nothing else on the socket can ever be read as "over". */
static const char OVER_TRUE[] = "{\"v\":1,\"over\":true}";
static const char OVER_FALSE[] = "{\"v\":1,\"over\":false}";
static const char ERROR_HEAD[] = "{\"v\":1,\"error\":\"";
static const char ERROR_TAIL[] = "\"}";

int agecheck_pos_check(const char* socket_path, int threshold, int timeout_ms, char* error_code, size_t error_len)
{
	char request[128], reply[LINE_MAX_BYTES + 1];
	if (threshold < 1 || threshold > 125 || timeout_ms < 1)
		return AGECHECK_POS_NO_ANSWER;
	snprintf(request, sizeof request, "{\"v\":1,\"op\":\"check\",\"threshold\":%d,\"timeout_ms\":%d}\n", threshold,
			 timeout_ms);
	if (call(socket_path, request, reply, sizeof reply, now_ms() + timeout_ms + 5000) != 0)
		return AGECHECK_POS_NO_ANSWER;
	if (strcmp(reply, OVER_TRUE) == 0)
		return AGECHECK_POS_OVER;
	if (strcmp(reply, OVER_FALSE) == 0)
		return AGECHECK_POS_NOT_OVER;
	if (strncmp(reply, ERROR_HEAD, sizeof ERROR_HEAD - 1) == 0) {
		const char* code = reply + sizeof ERROR_HEAD - 1;
		size_t n = strcspn(code, "\"\\");
		if (strcmp(code + n, ERROR_TAIL) != 0)
			return AGECHECK_POS_NO_ANSWER;
		if (error_code && error_len > 0) {
			if (n >= error_len)
				n = error_len - 1;
			memcpy(error_code, code, n);
			error_code[n] = '\0';
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

/* SPDX-License-Identifier: Apache-2.0 */
/* The whole integration, as a POS would do it: ask, then sell or refuse.
 * Usage: agecheck-pos-example [SOCKET] [THRESHOLD] */
#include <stdio.h>
#include <stdlib.h>

#include "agecheck_pos.h"

int main(int argc, char** argv)
{
	const char* socket_path = argc > 1 ? argv[1] : "/run/agecheck/agecheck.sock";
	const int threshold = argc > 2 ? atoi(argv[2]) : 18;
	char error[32] = "";
	switch (agecheck_pos_check(socket_path, threshold, 60000, error, sizeof error)) {
	case AGECHECK_POS_OVER:
		printf("over %d: sell\n", threshold);
		return 0;
	case AGECHECK_POS_NOT_OVER:
		printf("not over %d: refuse, or check the ID by hand\n", threshold);
		return 1;
	case AGECHECK_POS_ERROR_REPLY:
		printf("no answer (%s): check the ID by hand\n", error);
		return 3;
	default:
		printf("the kiosk is not reachable: check the ID by hand\n");
		return 4;
	}
}

// SPDX-License-Identifier: Apache-2.0
// Prints what MeasureWiping() finds, with ("prepare") or without ("raw", perturb
// only) PrepareEnvironment(), and whether OMP_THREAD_LIMIT=1 is set.
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "secure/Wipe.h"

int main(int argc, char** argv)
{
	if (argc > 1 && std::strcmp(argv[1], "prepare") == 0)
		agecheck::secure::PrepareEnvironment(argv); // perturb on, and tcache off by re-executing
	else
		agecheck::secure::WipeFreedChunks(); // perturb on, tcache left on
	const auto s = agecheck::secure::MeasureWiping();
	const char* t = std::getenv("GLIBC_TUNABLES");
	const char* omp = std::getenv("OMP_THREAD_LIMIT");
	std::printf("linked=%d delete=%d free=%d tunables=%d omp=%d\n", s.deleteLinked, s.deleteWipes, s.freeWipes,
	            t && std::strstr(t, "tcache_count=0") ? 1 : 0, omp && std::strcmp(omp, "1") == 0 ? 1 : 0);
	return 0;
}

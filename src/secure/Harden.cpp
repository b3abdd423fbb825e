// SPDX-License-Identifier: Apache-2.0
#include "secure/Harden.h"

#include <sys/prctl.h>
#include <sys/resource.h>

namespace agecheck::secure {

HardenReport HardenProcess() noexcept
{
	HardenReport r;
	rlimit none{0, 0};
	setrlimit(RLIMIT_CORE, &none);
	prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);

	rlimit now{};
	r.coreDumpsOff = getrlimit(RLIMIT_CORE, &now) == 0 && now.rlim_cur == 0;
	r.notDumpable = prctl(PR_GET_DUMPABLE, 0, 0, 0, 0) == 0;
	return r;
}

} // namespace agecheck::secure

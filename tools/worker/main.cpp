// SPDX-License-Identifier: Apache-2.0
// agecheck-worker: the sandboxed sighting worker. The service starts it with a socket on a
// descriptor (--fd N); it loads the decoders, enters its seccomp sandbox and then only turns
// frames from a shared buffer into Sightings. It has no other use and prints nothing.

#include <cstdlib>
#include <cstring>
#include <opencv2/core/utils/logger.hpp>
#include <unistd.h>

#include "capture/ZeroingAllocator.h"
#include "secure/Harden.h"
#include "secure/Wipe.h"
#include "sighting/Worker.h"

int main(int argc, char** argv)
{
#if defined(AGECHECK_TEST_NO_WIPE)
	// The negative control runs as glibc does by default: tcache on (the service passes it off).
	if (std::getenv("GLIBC_TUNABLES")) {
		unsetenv("GLIBC_TUNABLES");
		execv("/proc/self/exe", argv);
	}
#else
	agecheck::secure::PrepareEnvironment(argv); // may re-execute this program once
#endif
	if (argc != 3 || std::strcmp(argv[1], "--fd") != 0) {
		static const char usage[] = "agecheck-worker is started by the agecheck service, not by hand\n";
		(void)!write(2, usage, sizeof usage - 1);
		return 2;
	}
	char* end = nullptr;
	const long fd = std::strtol(argv[2], &end, 10);
	if (!end || *end || fd < 3 || fd > 1024)
		return 2;
	agecheck::secure::HardenProcess();
	agecheck::capture::InstallZeroingAllocator();
	cv::utils::logging::setLogLevel(cv::utils::logging::LOG_LEVEL_SILENT);
	return agecheck::sighting::RunWorker(int(fd));
}

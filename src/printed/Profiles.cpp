// SPDX-License-Identifier: Apache-2.0
// Look-ups in the built-in profile table (the table itself is generated: ProfilesData.cpp.in).

#include "printed/Profiles.h"

namespace agecheck::printed {

const Profile* FindProfile(std::string_view name) noexcept
{
	for (const Profile& p : Profiles())
		if (p.name == name)
			return &p;
	return nullptr;
}

} // namespace agecheck::printed

// SPDX-License-Identifier: Apache-2.0
#include "Config.h"

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <fstream>
#include <sstream>
#include <sys/stat.h>
#include <unistd.h>

namespace agecheck::kiosk {

namespace fs = std::filesystem;

bool SamePolicy(const age::Policy& a, const age::Policy& b)
{
	return a.thresholds == b.thresholds && a.leapDay == b.leapDay && a.expired == b.expired && a.maxAge == b.maxAge
	       && a.printedProfiles == b.printedProfiles;
}

bool NeedsRestart(const Config& a, const Config& b)
{
	return CameraDevice(a.source) != CameraDevice(b.source) || a.width != b.width || a.height != b.height
	       || !SamePolicy(a.policy, b.policy);
}

namespace {

/// N for "videoN" (digits only), else -1.
int VideoNumber(std::string_view name)
{
	if (name.rfind("video", 0) != 0 || name.size() == 5 || name.size() > 9)
		return -1;
	int n = 0;
	for (char c : name.substr(5)) {
		if (c < '0' || c > '9')
			return -1;
		n = n * 10 + (c - '0');
	}
	return n;
}

} // namespace

std::string CameraDevice(const std::string& source)
{
	if (source.rfind("camera:", 0) == 0 && VideoNumber("video" + source.substr(7)) >= 0)
		return "/dev/video" + source.substr(7);
	return source;
}

bool IsCamera(const std::string& source)
{
	return source.rfind("camera:", 0) == 0 || source.rfind("/dev/", 0) == 0;
}

std::vector<std::string> SourceChoices(const std::string& current, const fs::path& dev)
{
	std::vector<std::pair<int, std::string>> found;
	std::error_code ec;
	for (fs::directory_iterator it(dev, ec), end; !ec && it != end; it.increment(ec))
		if (const int n = VideoNumber(it->path().filename().string()); n >= 0)
			found.emplace_back(n, it->path().string());
	std::sort(found.begin(), found.end());
	std::vector<std::string> out;
	if (!current.empty())
		out.push_back(CameraDevice(current));
	for (auto& [n, path] : found)
		if (std::find(out.begin(), out.end(), path) == out.end())
			out.push_back(std::move(path));
	return out;
}

bool ToggleThreshold(std::vector<int>& thresholds, int age)
{
	std::vector<int> t = thresholds;
	if (const auto it = std::find(t.begin(), t.end(), age); it != t.end())
		t.erase(it);
	else
		t.push_back(age);
	// One or two: the POS protocol offers at most two ages, and a policy offers at least one.
	if (t.empty() || t.size() > 2 || age < 1 || age > 125)
		return false;
	std::sort(t.begin(), t.end());
	thresholds = std::move(t);
	return true;
}

std::string UpdatePolicyText(std::string_view original, const age::Policy& policy)
{
	std::string thresholds;
	for (int t : policy.thresholds)
		thresholds += (thresholds.empty() ? "" : ", ") + std::to_string(t);
	const std::pair<std::string_view, std::string> values[] = {
		{"thresholds", thresholds},
		{"leap_day_birthday", policy.leapDay == age::LeapDayRule::March1 ? "mar1" : "feb28"},
		{"expired_documents", policy.expired == age::ExpiredDocuments::Reject ? "reject" : "accept"},
	};
	bool written[std::size(values)] = {};
	std::string out;
	while (!original.empty()) {
		const std::size_t nl = original.find('\n');
		std::string_view line = original.substr(0, nl == std::string_view::npos ? original.size() : nl + 1);
		original.remove_prefix(line.size());
		// The key, as the parser reads it: before '=', outside a comment, spaces trimmed.
		const std::string_view content = line.substr(0, line.find('#'));
		const std::size_t eq = content.find('=');
		std::string_view key = content.substr(0, eq == std::string_view::npos ? 0 : eq);
		while (!key.empty() && (key.front() == ' ' || key.front() == '\t'))
			key.remove_prefix(1);
		while (!key.empty() && (key.back() == ' ' || key.back() == '\t'))
			key.remove_suffix(1);
		std::size_t k = 0;
		while (k < std::size(values) && values[k].first != key)
			++k;
		if (k == std::size(values)) {
			out += line;
			continue;
		}
		// The value replaced; a comment on the same line stays.
		out += std::string(key) + " = " + values[k].second;
		if (const std::size_t hash = line.find('#'); hash != std::string_view::npos)
			out += " " + std::string(line.substr(hash));
		else if (!line.empty() && line.back() == '\n')
			out += line.size() >= 2 && line[line.size() - 2] == '\r' ? "\r\n" : "\n";
		written[k] = true;
	}
	for (std::size_t k = 0; k < std::size(values); ++k) {
		if (written[k])
			continue;
		if (!out.empty() && out.back() != '\n')
			out += '\n';
		out += std::string(values[k].first) + " = " + values[k].second + "\n";
	}
	return out;
}

namespace {

bool Fail(std::string* error, const std::string& what, int err)
{
	if (error)
		*error = what + ": " + std::strerror(err);
	return false;
}

} // namespace

bool WriteFileAtomically(const fs::path& path, std::string_view text, std::string* error)
{
	std::error_code ec;
	fs::path target = path;
	if (fs::is_symlink(path, ec)) { // replace the file the link points to, not the link
		target = fs::canonical(path, ec);
		if (ec)
			return Fail(error, path.string(), ec.value());
	}
	mode_t mode = 0644;
	struct stat st {};
	if (::stat(target.c_str(), &st) == 0)
		mode = st.st_mode & 07777;
	std::string temp = target.string() + ".XXXXXX";
	const int fd = ::mkostemp(temp.data(), O_CLOEXEC);
	if (fd < 0)
		return Fail(error, "cannot create a file beside " + target.string(), errno);
	bool ok = ::fchmod(fd, mode) == 0;
	int err = errno;
	for (std::size_t done = 0; ok && done < text.size();) {
		const ssize_t n = ::write(fd, text.data() + done, text.size() - done);
		if (n < 0 && errno == EINTR)
			continue;
		ok = n > 0;
		err = errno;
		done += ok ? std::size_t(n) : 0;
	}
	if (ok && ::fsync(fd) != 0) { // on disk before the rename makes it the file
		ok = false;
		err = errno;
	}
	if (::close(fd) != 0 && ok) {
		ok = false;
		err = errno;
	}
	if (ok && ::rename(temp.c_str(), target.c_str()) != 0) {
		ok = false;
		err = errno;
	}
	if (!ok) {
		::unlink(temp.c_str());
		return Fail(error, "cannot write " + target.string(), err);
	}
	// The rename itself on disk too.
	if (const int dir = ::open(target.parent_path().empty() ? "." : target.parent_path().c_str(),
	                           O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	    dir >= 0) {
		::fsync(dir);
		::close(dir);
	}
	return true;
}

bool SavePolicy(const fs::path& path, const age::Policy& policy, std::string* error)
{
	std::string original;
	{
		std::error_code ec;
		if (fs::exists(path, ec)) {
			std::ifstream in(path, std::ios::binary);
			std::ostringstream text;
			text << in.rdbuf();
			if (!in) {
				if (error)
					*error = path.string() + ": cannot read";
				return false;
			}
			original = text.str();
		}
	}
	std::string why;
	if (!age::ParsePolicy(original, &why)) {
		// Someone changed the file into one that does not parse: leave it for them to fix.
		if (error)
			*error = path.string() + ": " + why;
		return false;
	}
	const std::string text = UpdatePolicyText(original, policy);
	const auto saved = age::ParsePolicy(text, &why);
	if (!saved || saved->thresholds != policy.thresholds || saved->leapDay != policy.leapDay
	    || saved->expired != policy.expired) {
		if (error)
			*error = path.string() + ": the policy would not read back the same" + (saved ? "" : " (" + why + ")");
		return false;
	}
	return WriteFileAtomically(path, text, error);
}

} // namespace agecheck::kiosk

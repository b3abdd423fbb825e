// SPDX-License-Identifier: Apache-2.0
#include "age/Policy.h"

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <exception>
#include <memory>
#include <system_error>

#include "printed/Profiles.h"

namespace agecheck::age {

namespace {

using std::chrono::year_month_day;

constexpr int kMinThreshold = 1;
constexpr int kMaxThreshold = 125;
/// The POS protocol lets a reader ask about at most two age_over_NN thresholds (as ISO/IEC 18013-5
/// does), so that a client cannot binary-search the exact age.
constexpr std::size_t kMaxThresholds = 2;
constexpr int kMinMaxAge = 1;
constexpr int kMaxMaxAge = 150;
constexpr std::size_t kMaxPolicyFileBytes = 64 * 1024;

/// Wipes a local copy of a date when it goes out of scope.
class WipeOnExit {
public:
	explicit WipeOnExit(year_month_day& d) noexcept : _d(d) {}
	WipeOnExit(const WipeOnExit&) = delete;
	WipeOnExit& operator=(const WipeOnExit&) = delete;
	~WipeOnExit() { SecureZero(&_d, sizeof _d); }

private:
	year_month_day& _d;
};

// ---- policy file -------------------------------------------------------------------------------

constexpr bool IsSpace(char c) noexcept
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f';
}

std::string_view Trim(std::string_view s) noexcept
{
	while (!s.empty() && IsSpace(s.front()))
		s.remove_prefix(1);
	while (!s.empty() && IsSpace(s.back()))
		s.remove_suffix(1);
	return s;
}

/// Text from the file quoted in a message: printable ASCII only, at most 32 characters.
std::string Quote(std::string_view s)
{
	constexpr std::size_t kMax = 32;
	std::string out = "'";
	for (std::size_t i = 0; i < s.size() && i < kMax; ++i) {
		const char c = s[i];
		out += (c >= 0x20 && c < 0x7f) ? c : '?';
	}
	if (s.size() > kMax)
		out += "...";
	out += "'";
	return out;
}

/// An unsigned decimal integer (digits only, no sign) in [lo, hi].
bool ParseInt(std::string_view s, int lo, int hi, int& out) noexcept
{
	if (s.empty() || !std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; }))
		return false;
	int v = 0;
	const auto [end, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
	if (ec != std::errc{} || end != s.data() + s.size() || v < lo || v > hi)
		return false;
	out = v;
	return true;
}

enum Key : std::size_t { kThresholds, kLeapDay, kExpired, kMaxAge, kPrintedProfiles, kKeyCount };
constexpr std::string_view kKeyNames[kKeyCount] = {"thresholds", "leap_day_birthday", "expired_documents", "max_age",
                                                   "printed_profiles"};

/// "au-nz, us, canada, uk, eu or none": the values printed_profiles accepts.
std::string PrintedProfileChoices()
{
	std::string out;
	for (const printed::Profile& p : printed::Profiles()) {
		out += p.name;
		out += ", ";
	}
	if (out.size() >= 2)
		out.resize(out.size() - 2);
	return out + " or none";
}

class Parser {
public:
	std::optional<Policy> Run(std::string_view text)
	{
		std::size_t lineNo = 0;
		while (!text.empty() || lineNo == 0) {
			++lineNo;
			const std::size_t nl = text.find('\n');
			std::string_view line = text.substr(0, nl);
			text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
			if (!Line(lineNo, line))
				return std::nullopt;
		}
		// Only a file that sets one of the two can get here with them inconsistent: blame the max_age
		// line if there is one.
		if (_policy.maxAge < _policy.thresholds.back()) {
			Fail(_lineOf[kMaxAge] ? _lineOf[kMaxAge] : _lineOf[kThresholds], "max_age is below the largest threshold");
			return std::nullopt;
		}
		return std::move(_policy);
	}

	std::string error;

private:
	bool Line(std::size_t lineNo, std::string_view line)
	{
		if (const std::size_t hash = line.find('#'); hash != std::string_view::npos)
			line = line.substr(0, hash);
		line = Trim(line);
		if (line.empty())
			return true;
		const std::size_t eq = line.find('=');
		if (eq == std::string_view::npos)
			return Fail(lineNo, "expected 'key = value'");
		const std::string_view key = Trim(line.substr(0, eq));
		const std::string_view value = Trim(line.substr(eq + 1));
		if (key.empty())
			return Fail(lineNo, "missing key before '='");
		const auto* found = std::find(std::begin(kKeyNames), std::end(kKeyNames), key);
		if (found == std::end(kKeyNames))
			return Fail(lineNo, "unknown key " + Quote(key) +
			                        " (expected thresholds, leap_day_birthday, expired_documents, max_age or "
			                        "printed_profiles)");
		const auto k = static_cast<std::size_t>(found - std::begin(kKeyNames));
		if (_lineOf[k] != 0)
			return Fail(lineNo, "duplicate key '" + std::string(key) + "' (first set on line " +
			                        std::to_string(_lineOf[k]) + ")");
		_lineOf[k] = lineNo;
		if (value.empty())
			return Fail(lineNo, "missing value for '" + std::string(key) + "'");
		switch (k) {
		case kThresholds:
			return Thresholds(lineNo, value);
		case kLeapDay:
			if (value == "mar1")
				_policy.leapDay = LeapDayRule::March1;
			else if (value == "feb28")
				_policy.leapDay = LeapDayRule::February28;
			else
				return Fail(lineNo, "leap_day_birthday must be mar1 or feb28, not " + Quote(value));
			return true;
		case kExpired:
			if (value == "reject")
				_policy.expired = ExpiredDocuments::Reject;
			else if (value == "accept")
				_policy.expired = ExpiredDocuments::Accept;
			else
				return Fail(lineNo, "expired_documents must be reject or accept, not " + Quote(value));
			return true;
		case kMaxAge:
			if (!ParseInt(value, kMinMaxAge, kMaxMaxAge, _policy.maxAge))
				return Fail(lineNo, "max_age must be a whole number from 1 to 150, not " + Quote(value));
			return true;
		case kPrintedProfiles:
			return PrintedProfiles(lineNo, value);
		default:
			return Fail(lineNo, "unknown key");
		}
	}

	bool Thresholds(std::size_t lineNo, std::string_view value)
	{
		std::vector<int> list;
		while (true) {
			const std::size_t comma = value.find(',');
			const std::string_view item = Trim(value.substr(0, comma));
			int t = 0;
			if (item.empty())
				return Fail(lineNo, "empty threshold in the list");
			if (!ParseInt(item, kMinThreshold, kMaxThreshold, t))
				return Fail(lineNo, "a threshold must be a whole number from 1 to 125, not " + Quote(item));
			if (std::find(list.begin(), list.end(), t) != list.end())
				return Fail(lineNo, "threshold " + std::to_string(t) + " is listed twice");
			list.push_back(t);
			if (list.size() > kMaxThresholds)
				return Fail(lineNo, "at most 2 thresholds (the POS protocol limit)");
			if (comma == std::string_view::npos)
				break;
			value = value.substr(comma + 1);
		}
		std::sort(list.begin(), list.end());
		_policy.thresholds = std::move(list);
		return true;
	}

	bool PrintedProfiles(std::size_t lineNo, std::string_view value)
	{
		std::vector<std::string> list;
		if (value == "none") {
			_policy.printedProfiles = std::move(list);
			return true;
		}
		while (true) {
			const std::size_t comma = value.find(',');
			const std::string_view item = Trim(value.substr(0, comma));
			if (item.empty())
				return Fail(lineNo, "empty printed profile in the list");
			if (item == "none")
				return Fail(lineNo, "printed_profiles = none cannot list profiles too");
			if (!printed::FindProfile(item))
				return Fail(lineNo,
				            "unknown printed profile " + Quote(item) + " (expected " + PrintedProfileChoices() + ")");
			if (std::find(list.begin(), list.end(), item) != list.end())
				return Fail(lineNo, "printed profile '" + std::string(item) + "' is listed twice");
			list.emplace_back(item);
			if (comma == std::string_view::npos)
				break;
			value = value.substr(comma + 1);
		}
		_policy.printedProfiles = std::move(list);
		return true;
	}

	bool Fail(std::size_t lineNo, const std::string& what)
	{
		error = "line " + std::to_string(lineNo) + ": " + what;
		return false;
	}

	Policy _policy = DefaultPolicy();
	std::size_t _lineOf[kKeyCount] = {};
};

void SetError(std::string* error, std::string message) noexcept
{
	if (error)
		*error = std::move(message); // a move never allocates
}

struct FileCloser {
	void operator()(std::FILE* f) const noexcept { std::fclose(f); }
};

} // namespace

std::vector<std::string> AllPrintedProfiles()
{
	std::vector<std::string> names;
	for (const printed::Profile& p : printed::Profiles())
		names.emplace_back(p.name);
	return names;
}

Policy DefaultPolicy()
{
	return Policy{};
}

std::optional<Policy> ParsePolicy(std::string_view text, std::string* error)
{
	try {
		Parser parser;
		auto policy = parser.Run(text);
		if (!policy)
			SetError(error, std::move(parser.error));
		return policy;
	} catch (const std::exception&) {     // only std::bad_alloc can get here
		SetError(error, "out of memory"); // short enough not to allocate
		return std::nullopt;
	}
}

std::optional<Policy> LoadPolicy(const std::string& path, std::string* error)
{
	try {
		errno = 0;
		const std::unique_ptr<std::FILE, FileCloser> file(std::fopen(path.c_str(), "rb"));
		if (!file) {
			SetError(error, path + ": cannot open: " + std::generic_category().message(errno));
			return std::nullopt;
		}
		std::string text(kMaxPolicyFileBytes + 1, '\0');
		errno = 0;
		const std::size_t n = std::fread(text.data(), 1, text.size(), file.get());
		if (std::ferror(file.get())) {
			SetError(error, path + ": cannot read: " + std::generic_category().message(errno));
			return std::nullopt;
		}
		if (n > kMaxPolicyFileBytes) {
			SetError(error, path + ": larger than 64 KiB; not a policy file");
			return std::nullopt;
		}
		text.resize(n);
		std::string parseError;
		auto policy = ParsePolicy(text, &parseError);
		if (!policy)
			SetError(error, path + ": " + parseError);
		return policy;
	} catch (const std::exception&) {     // only std::bad_alloc can get here
		SetError(error, "out of memory"); // short enough not to allocate
		return std::nullopt;
	}
}

// ---- calendar arithmetic -----------------------------------------------------------------------

int AgeOn(year_month_day birth, year_month_day today, LeapDayRule rule) noexcept
{
	const WipeOnExit wipeBirth(birth);
	const WipeOnExit wipeToday(today);
	const unsigned bm = static_cast<unsigned>(birth.month());
	unsigned bd = static_cast<unsigned>(birth.day());
	const unsigned tm = static_cast<unsigned>(today.month());
	const unsigned td = static_cast<unsigned>(today.day());
	// In a common year, 29 February falls on 1 March by comparison alone (today cannot be 29
	// February), so only the 28 February rule needs the birthday moved.
	if (bm == 2 && bd == 29 && rule == LeapDayRule::February28 && !today.year().is_leap())
		bd = 28;
	const bool beforeBirthday = tm < bm || (tm == bm && td < bd);
	int years = static_cast<int>(today.year()) - static_cast<int>(birth.year());
	if (beforeBirthday)
		--years;
	return years;
}

Decision Decide(const SecretDate& birth, const std::optional<SecretDate>& expiry, Reason source, year_month_day today,
                const Policy& policy, int threshold) noexcept
{
	if (!IsSource(source))
		return {Verdict::Unverified, source};
	if (threshold < kMinThreshold || threshold > kMaxThreshold)
		return {Verdict::Unverified, Reason::Malformed};

	year_month_day b = birth.get();
	const WipeOnExit wipeB(b);
	if (!b.ok() || !today.ok())
		return {Verdict::Unverified, Reason::InvalidDate};
	if (b > today)
		return {Verdict::Unverified, Reason::FutureBirthDate};
	const int age = AgeOn(b, today, policy.leapDay);
	if (age > policy.maxAge)
		return {Verdict::Unverified, Reason::ImplausibleAge};

	if (expiry) {
		year_month_day e = expiry->get();
		const WipeOnExit wipeE(e);
		if (!e.ok() || e < b)
			return {Verdict::Unverified, Reason::InvalidDate};
		if (policy.expired == ExpiredDocuments::Reject && today > e)
			return {Verdict::Unverified, Reason::Expired};
	} else if (policy.expired == ExpiredDocuments::Reject) {
		return {Verdict::Unverified, Reason::MissingExpiryDate};
	}
	return {age >= threshold ? Verdict::Over : Verdict::Under, source};
}

} // namespace agecheck::age

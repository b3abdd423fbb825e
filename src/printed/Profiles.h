// SPDX-License-Identifier: Apache-2.0
#pragma once
// Jurisdiction profiles of printed dates: how a licence front labels its date of birth and expiry
// and how it writes them. The profiles are data: src/printed/profiles.conf, embedded into the
// library at build time and parsed by ParseProfiles while compiling (a broken file does not build).
// The file format is described in src/printed/README.md. Standard library only, no allocation.

#include <array>
#include <cstddef>
#include <cstdint>
#include <span>
#include <string_view>

namespace agecheck::printed {

inline constexpr std::size_t MaxProfiles = 8;     ///< profiles in one table
inline constexpr std::size_t MaxLabels = 8;       ///< labels of one field of one profile
inline constexpr std::size_t MaxFormats = 8;      ///< date formats of one profile
inline constexpr std::size_t MaxNameLength = 16;  ///< characters of a profile name
inline constexpr std::size_t MaxLabelLength = 32; ///< characters of a label

/// One part of a printed date, as written in a format of profiles.conf.
enum class Part : std::uint8_t {
	Day,       ///< "D": 1 or 2 digits
	Day2,      ///< "DD": 2 digits
	Month,     ///< "M": 1 or 2 digits
	Month2,    ///< "MM": 2 digits
	MonthName, ///< "MON": JAN to DEC, any case
	Year2,     ///< "YY": 2 digits; the century follows from today (see Parse in Printed.h)
	Year4,     ///< "YYYY": 4 digits
};

/// How one date is printed, e.g. "DD/MM/YYYY" or "DD MON YYYY": a day, a month and a year in some
/// order, with one separator between each two.
struct DateFormat {
	std::array<Part, 3> parts{};      ///< in printed order
	std::array<char, 2> separators{}; ///< '/', '-', '.' or ' '
	std::string_view text{};          ///< as written in profiles.conf
};

/// One jurisdiction profile: its name, the labels of its two date fields and its date formats.
/// The views point into the text the profile was parsed from (for Profiles(): static storage).
struct Profile {
	std::string_view name{};                               ///< e.g. "au-nz"
	std::array<std::string_view, MaxLabels> birthLabels{}; ///< e.g. "Date of Birth", "DOB"
	std::size_t birthLabelCount = 0;
	std::array<std::string_view, MaxLabels> expiryLabels{}; ///< e.g. "Expiry", "EXP"
	std::size_t expiryLabelCount = 0;
	std::array<DateFormat, MaxFormats> formats{}; ///< the formats of both fields
	std::size_t formatCount = 0;

	/// The labels of the date of birth.
	constexpr std::span<const std::string_view> BirthLabels() const noexcept
	{
		return {birthLabels.data(), birthLabelCount};
	}
	/// The labels of the expiry date.
	constexpr std::span<const std::string_view> ExpiryLabels() const noexcept
	{
		return {expiryLabels.data(), expiryLabelCount};
	}
	/// The date formats.
	constexpr std::span<const DateFormat> Formats() const noexcept { return {formats.data(), formatCount}; }
};

/// A parsed profiles file: the profiles, or the first error.
struct ProfileTable {
	std::array<Profile, MaxProfiles> profiles{};
	std::size_t count = 0;
	std::size_t errorLine = 0; ///< 1-based line of the first error; 0 when the text parsed
	std::string_view error{};  ///< a static explanation of the first error; empty when the text parsed

	/// The profiles (none when the text did not parse).
	constexpr std::span<const Profile> Profiles() const noexcept { return {profiles.data(), errorLine ? 0 : count}; }
};

/// Parses the text of a profiles file (format in src/printed/README.md). Usable in constant
/// expressions: the built-in table is parsed while compiling. The table's views point into `text`.
constexpr ProfileTable ParseProfiles(std::string_view text) noexcept;

/// The built-in profiles, from src/printed/profiles.conf, in file order.
std::span<const Profile> Profiles() noexcept;

/// The built-in profile named `name` (exact, case-sensitive), or nullptr.
const Profile* FindProfile(std::string_view name) noexcept;

/// The text of src/printed/profiles.conf as embedded at build time.
std::string_view ProfilesText() noexcept;

// ---- the parser --------------------------------------------------------------------------------

namespace detail {

constexpr bool IsBlank(char c) noexcept { return c == ' ' || c == '\t' || c == '\r'; }
constexpr bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool IsAlpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
constexpr bool IsAlnum(char c) noexcept { return IsDigit(c) || IsAlpha(c); }
constexpr char Upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

constexpr std::string_view Trim(std::string_view s) noexcept
{
	while (!s.empty() && IsBlank(s.front()))
		s.remove_prefix(1);
	while (!s.empty() && IsBlank(s.back()))
		s.remove_suffix(1);
	return s;
}

constexpr bool EqualNoCase(std::string_view a, std::string_view b) noexcept
{
	if (a.size() != b.size())
		return false;
	for (std::size_t i = 0; i < a.size(); ++i)
		if (Upper(a[i]) != Upper(b[i]))
			return false;
	return true;
}

/// A label: printable ASCII without ',' or '#', starting with a letter or digit, at most
/// MaxLabelLength characters.
constexpr bool ValidLabel(std::string_view s) noexcept
{
	if (s.empty() || s.size() > MaxLabelLength || !IsAlnum(s.front()))
		return false;
	for (char c : s)
		if (c < 0x20 || c > 0x7e || c == ',' || c == '#' || c == '[' || c == ']')
			return false;
	return true;
}

/// A profile name: lower-case letters, digits and '-', starting with a letter.
constexpr bool ValidName(std::string_view s) noexcept
{
	if (s.empty() || s.size() > MaxNameLength || !(s.front() >= 'a' && s.front() <= 'z'))
		return false;
	for (char c : s)
		if (!((c >= 'a' && c <= 'z') || IsDigit(c) || c == '-'))
			return false;
	return true;
}

/// Parses one format such as "DD/MM/YYYY": exactly one day, one month and one year part.
constexpr bool ParseFormat(std::string_view s, DateFormat& f) noexcept
{
	f = DateFormat{};
	f.text = s;
	std::size_t i = 0;
	bool day = false, month = false, year = false;
	for (std::size_t k = 0; k < 3; ++k) {
		if (k > 0) {
			if (i >= s.size())
				return false;
			const char sep = s[i];
			if (sep != '/' && sep != '-' && sep != '.' && sep != ' ')
				return false;
			f.separators[k - 1] = sep;
			++i;
		}
		std::size_t j = i;
		while (j < s.size() && s[j] >= 'A' && s[j] <= 'Z')
			++j;
		const std::string_view token = s.substr(i, j - i);
		i = j;
		bool* seen = nullptr;
		if (token == "D" || token == "DD") {
			f.parts[k] = token.size() == 1 ? Part::Day : Part::Day2;
			seen = &day;
		} else if (token == "M" || token == "MM" || token == "MON") {
			f.parts[k] = token == "M" ? Part::Month : token == "MM" ? Part::Month2 : Part::MonthName;
			seen = &month;
		} else if (token == "YY" || token == "YYYY") {
			f.parts[k] = token.size() == 2 ? Part::Year2 : Part::Year4;
			seen = &year;
		} else {
			return false;
		}
		if (*seen)
			return false;
		*seen = true;
	}
	return i == s.size();
}

/// The parser's state while it reads a profiles file.
class ProfileParser {
public:
	constexpr explicit ProfileParser(ProfileTable& table) noexcept : _t(table) {}

	constexpr void Run(std::string_view text) noexcept
	{
		std::size_t lineNo = 0;
		while (!text.empty()) {
			++lineNo;
			const std::size_t nl = text.find('\n');
			std::string_view line = text.substr(0, nl);
			text = nl == std::string_view::npos ? std::string_view{} : text.substr(nl + 1);
			if (const std::size_t hash = line.find('#'); hash != std::string_view::npos)
				line = line.substr(0, hash);
			line = Trim(line);
			if (!line.empty() && !Line(lineNo, line))
				return;
		}
		if (_current && !Close(lineNo))
			return;
		if (_t.count == 0)
			Fail(lineNo == 0 ? 1 : lineNo, "no profile");
	}

private:
	constexpr bool Fail(std::size_t lineNo, std::string_view what) noexcept
	{
		_t.errorLine = lineNo;
		_t.error = what;
		return false;
	}

	/// Checks the profile being read once its section ends.
	constexpr bool Close(std::size_t lineNo) noexcept
	{
		if (!_seen[0] || !_seen[1] || !_seen[2])
			return Fail(lineNo, "a profile needs birth_labels, expiry_labels and formats");
		_current = nullptr;
		return true;
	}

	constexpr bool Line(std::size_t lineNo, std::string_view line) noexcept
	{
		if (line.front() == '[') {
			if (_current && !Close(lineNo))
				return false;
			if (line.back() != ']')
				return Fail(lineNo, "a section header must be '[name]'");
			const std::string_view name = Trim(line.substr(1, line.size() - 2));
			if (!ValidName(name))
				return Fail(lineNo, "a profile name is 1 to 16 of a-z, 0-9 and '-', starting with a letter");
			for (std::size_t i = 0; i < _t.count; ++i)
				if (_t.profiles[i].name == name)
					return Fail(lineNo, "a profile name is used twice");
			if (_t.count == MaxProfiles)
				return Fail(lineNo, "more than 8 profiles");
			_current = &_t.profiles[_t.count++];
			_current->name = name;
			_seen[0] = _seen[1] = _seen[2] = false;
			return true;
		}
		if (!_current)
			return Fail(lineNo, "a key before the first '[profile]' header");
		const std::size_t eq = line.find('=');
		if (eq == std::string_view::npos)
			return Fail(lineNo, "expected 'key = value'");
		const std::string_view key = Trim(line.substr(0, eq));
		const std::string_view value = Trim(line.substr(eq + 1));
		std::size_t k = 0;
		if (key == "birth_labels")
			k = 0;
		else if (key == "expiry_labels")
			k = 1;
		else if (key == "formats")
			k = 2;
		else
			return Fail(lineNo, "unknown key (expected birth_labels, expiry_labels or formats)");
		if (_seen[k])
			return Fail(lineNo, "a key is given twice in one profile");
		_seen[k] = true;
		if (value.empty())
			return Fail(lineNo, "a key without a value");
		return k == 2 ? Formats(lineNo, value) : Labels(lineNo, value, k == 0);
	}

	constexpr bool Labels(std::size_t lineNo, std::string_view value, bool birth) noexcept
	{
		auto& labels = birth ? _current->birthLabels : _current->expiryLabels;
		std::size_t& count = birth ? _current->birthLabelCount : _current->expiryLabelCount;
		while (true) {
			const std::size_t comma = value.find(',');
			const std::string_view label = Trim(value.substr(0, comma));
			if (!ValidLabel(label))
				return Fail(lineNo, "a label is 1 to 32 printable characters without ',' '#' '[' ']', "
				                    "starting with a letter or digit");
			for (std::size_t i = 0; i < count; ++i)
				if (EqualNoCase(labels[i], label))
					return Fail(lineNo, "a label is listed twice");
			if (IsOtherField(label, birth))
				return Fail(lineNo, "a label is both a birth and an expiry label");
			if (count == MaxLabels)
				return Fail(lineNo, "more than 8 labels");
			labels[count++] = label;
			if (comma == std::string_view::npos)
				return true;
			value = value.substr(comma + 1);
		}
	}

	/// True when `label` is a label of the other field in any profile read so far.
	constexpr bool IsOtherField(std::string_view label, bool birth) const noexcept
	{
		for (std::size_t p = 0; p < _t.count; ++p) {
			const Profile& q = _t.profiles[p];
			for (const std::string_view other : birth ? q.ExpiryLabels() : q.BirthLabels())
				if (EqualNoCase(other, label))
					return true;
		}
		return false;
	}

	constexpr bool Formats(std::size_t lineNo, std::string_view value) noexcept
	{
		while (true) {
			const std::size_t comma = value.find(',');
			const std::string_view text = Trim(value.substr(0, comma));
			if (_current->formatCount == MaxFormats)
				return Fail(lineNo, "more than 8 formats");
			if (!ParseFormat(text, _current->formats[_current->formatCount]))
				return Fail(lineNo, "a format is a day (D, DD), a month (M, MM, MON) and a year (YY, YYYY) "
				                    "in any order, separated by '/', '-', '.' or one space");
			for (std::size_t i = 0; i < _current->formatCount; ++i)
				if (_current->formats[i].text == text)
					return Fail(lineNo, "a format is listed twice");
			++_current->formatCount;
			if (comma == std::string_view::npos)
				return true;
			value = value.substr(comma + 1);
		}
	}

	ProfileTable& _t;
	Profile* _current = nullptr;
	bool _seen[3] = {false, false, false};
};

} // namespace detail

constexpr ProfileTable ParseProfiles(std::string_view text) noexcept
{
	ProfileTable table;
	detail::ProfileParser parser(table);
	parser.Run(text);
	if (table.errorLine != 0)
		table.count = 0;
	return table;
}

} // namespace agecheck::printed

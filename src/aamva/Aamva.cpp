// SPDX-License-Identifier: Apache-2.0
// Parser of the AAMVA DL/ID Card Design Standard PDF417 payload (AAMVA DL/ID 2020, Annex D.12, and
// the 2000 standard for version 01): header, subfile designators and the date elements.
//
// Everything here is a view over the payload. Nothing is copied out of it but the dates, and the
// dates are held in one scratch struct that is wiped before Parse returns. No allocation, no I/O.

#include "aamva/Aamva.h"

#include <array>
#include <chrono>
#include <cstdint>
#include <cstring>

#include "aamva/Iin.h"

namespace agecheck::aamva {
namespace {

using std::chrono::year_month_day;

constexpr std::size_t npos = std::string_view::npos;

// Years outside this range are not a date on a living person's document.
constexpr int MinYear = 1900;
constexpr int MaxYear = 2200;

// How far into the payload the compliance indicator '@' may be (scanners prepend whitespace or an
// AIM symbology identifier such as "]L2"), and how far after it the file type may be.
constexpr std::size_t AtSearch = 8;
constexpr std::size_t FileTypeSearch = 64;

// At most this many subfile designators are read (D.12.4); real cards have two or three.
constexpr std::size_t MaxSubfiles = 8;

// ---- bytes -----------------------------------------------------------------------------------

constexpr char Upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
constexpr bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool IsLetter(char c) noexcept { return Upper(c) >= 'A' && Upper(c) <= 'Z'; }

/// Bytes that scanners and keyboard wedges put between elements: control characters, spaces, DEL
/// and anything outside ASCII (e.g. UTF-8 re-encodings of lost control characters).
constexpr bool IsJunk(char c) noexcept
{
	const auto u = static_cast<unsigned char>(c);
	return u <= 0x20 || u >= 0x7f;
}

/// The data element separator LF, record separator RS and segment terminator CR of D.12.3, which
/// scanners swap for one another.
constexpr bool IsSeparator(char c) noexcept
{
	return c == '\n' || c == '\r' || c == '\x1e';
}

/// True when `s` holds the upper-case `word` at `pos`, ignoring the case of `s`.
constexpr bool HasAt(std::string_view s, std::size_t pos, std::string_view word) noexcept
{
	if (pos > s.size() || s.size() - pos < word.size())
		return false;
	for (std::size_t i = 0; i < word.size(); ++i)
		if (Upper(s[pos + i]) != word[i])
			return false;
	return true;
}

/// The value of the `n` (at most 9) decimal digits at `pos`, or -1 when they are not all there.
constexpr int DigitsAt(std::string_view s, std::size_t pos, std::size_t n) noexcept
{
	if (pos > s.size() || s.size() - pos < n)
		return -1;
	int value = 0;
	for (std::size_t i = 0; i < n; ++i) {
		if (!IsDigit(s[pos + i]))
			return -1;
		value = value * 10 + (s[pos + i] - '0');
	}
	return value;
}

/// The first position at or after `pos` that is not junk (separators are junk too), at most s.size().
constexpr std::size_t SkipJunk(std::string_view s, std::size_t pos) noexcept
{
	while (pos < s.size() && IsJunk(s[pos]))
		++pos;
	return pos;
}

/// True for a data element ID of AAMVA versions 01 to 10 at `pos`, in any case: DAA-DAZ, DBA-DBS,
/// DCA-DCU and DDA-DDL (D.12.5 and the 2000 standard's element list).
constexpr bool IsElementIdAt(std::string_view s, std::size_t pos) noexcept
{
	if (!HasAt(s, pos, "D") || s.size() - pos < 3)
		return false;
	const char c = Upper(s[pos + 2]);
	if (c < 'A' || c > 'Z')
		return false;
	switch (Upper(s[pos + 1])) {
	case 'A': return true;
	case 'B': return c <= 'S';
	case 'C': return c <= 'U';
	case 'D': return c <= 'L';
	default: return false;
	}
}

// ---- header and subfiles (D.12.3, D.12.4) ----------------------------------------------------

struct Designator {
	std::array<char, 2> type; ///< "DL", "ID", "ZA", ... in upper case
	int offset;               ///< from the start of the payload: a hint only
};

struct Header {
	int iin = 0;
	int version = 0;
	std::size_t designatorsEnd = 0; ///< just past the last subfile designator read
	std::array<Designator, MaxSubfiles> subfiles{};
	std::size_t subfileCount = 0;
};

/// Reads the header: "@", LF, RS, CR, "ANSI " (or "AAMVA" before 2003), IIN (6 digits), AAMVA
/// version (2), jurisdiction version (2, not in version 01), number of entries (2), then one
/// designator per subfile (D.12.3, D.12.4). Tolerates mangled separators and prefixes.
Result<Header> ParseHeader(std::string_view s) noexcept
{
	const std::size_t at = s.substr(0, AtSearch).find('@');
	if (at == npos)
		return Failure{Reason::NotAnId, "no AAMVA compliance indicator"};

	std::size_t fileType = npos, fileTypeLength = 0;
	for (std::size_t p = at + 1; p < s.size() && p <= at + FileTypeSearch; ++p) {
		std::size_t length = HasAt(s, p, "ANSI") ? 4 : HasAt(s, p, "AAMVA") ? 5 : 0;
		if (length == 0)
			continue;
		if (HasAt(s, p + length, " "))
			++length;
		if (p + length < s.size() && IsDigit(s[p + length])) {
			fileType = p;
			fileTypeLength = length;
			break;
		}
	}
	if (fileType == npos) {
		if (s.substr(at, 4) == "@\n\x1e\r")
			return Failure{Reason::Malformed, "AAMVA compliance indicator without a file type"};
		return Failure{Reason::NotAnId, "no AAMVA file type"};
	}

	Header h;
	const std::size_t p = fileType + fileTypeLength;
	h.iin = DigitsAt(s, p, 6);
	h.version = DigitsAt(s, p + 6, 2);
	if (h.iin < 0)
		return Failure{Reason::Malformed, "issuer identification number is not six digits"};
	if (h.version < 1 || h.version > 10)
		return Failure{Reason::Malformed, "AAMVA version is missing or not 01 to 10"};

	// Version 01 (AAMVA DL/ID 2000) has no jurisdiction version number.
	const std::size_t jurisdictionVersion = h.version >= 2 ? 2 : 0;
	std::size_t q = p + 8 + jurisdictionVersion + 2;

	// The number of entries is often wrong: read designators (type, 4-digit offset, 4-digit length)
	// for as long as they look like designators.
	while (h.subfileCount < MaxSubfiles && q + 10 <= s.size()) {
		const char t0 = Upper(s[q]), t1 = Upper(s[q + 1]);
		const int offset = DigitsAt(s, q + 2, 4);
		if (!(IsLetter(t0) || IsDigit(t0)) || !(IsLetter(t1) || IsDigit(t1)) || offset < 0 || DigitsAt(s, q + 6, 4) < 0)
			break;
		h.subfiles[h.subfileCount++] = Designator{{t0, t1}, offset};
		q += 10;
	}
	h.designatorsEnd = q < s.size() ? q : s.size();
	return h;
}

constexpr bool IsIdSubfile(const Designator& d) noexcept
{
	return (d.type[0] == 'D' && d.type[1] == 'L') || (d.type[0] == 'I' && d.type[1] == 'D');
}

/// Where the elements of a DL or ID subfile begin if one starts at `pos`: after its type "DL" or
/// "ID" and any separator a scanner put there, or, unless `typeRequired`, at `pos` itself when the
/// type is missing but an element ID is there (seen on version 01 Connecticut and on West Virginia
/// and Wyoming cards). npos otherwise.
std::size_t ElementsAt(std::string_view s, std::size_t pos, bool typeRequired) noexcept
{
	if (HasAt(s, pos, "DL") || HasAt(s, pos, "ID")) {
		const std::size_t q = SkipJunk(s, pos + 2);
		if (IsElementIdAt(s, q))
			return q;
	}
	return !typeRequired && IsElementIdAt(s, pos) ? pos : npos;
}

struct Range {
	std::size_t begin = npos;
	std::size_t end = npos;
};

/// The elements of the first DL or ID subfile. The designators' offsets are hints: tried first,
/// then the position after the designators (where the first subfile belongs, whatever a scanner did
/// to the header), then a scan for "DL"/"ID" followed by an element ID. The subfile ends where a
/// designated jurisdiction subfile "Z?" begins: its type, then its first element ID, which starts
/// with the same two letters ("ZMZMA..."), else at the end of the payload.
Range LocateSubfile(std::string_view s, const Header& h) noexcept
{
	Range r;
	for (std::size_t i = 0; i < h.subfileCount && r.begin == npos; ++i)
		if (IsIdSubfile(h.subfiles[i]) && static_cast<std::size_t>(h.subfiles[i].offset) < s.size())
			r.begin = ElementsAt(s, static_cast<std::size_t>(h.subfiles[i].offset), false);
	if (r.begin == npos)
		r.begin = ElementsAt(s, SkipJunk(s, h.designatorsEnd), false);
	for (std::size_t p = h.designatorsEnd; r.begin == npos && p < s.size(); ++p)
		r.begin = ElementsAt(s, p, true);
	if (r.begin == npos)
		return r;

	r.end = s.size();
	for (std::size_t i = 0; i < h.subfileCount; ++i) {
		const Designator& d = h.subfiles[i];
		if (d.type[0] != 'Z' || !IsLetter(d.type[1]))
			continue;
		const char start[] = {d.type[0], d.type[1], d.type[0], d.type[1]};
		const std::size_t pos = s.substr(0, r.end).find(std::string_view(start, 4), r.begin);
		if (pos != npos)
			r.end = pos;
	}
	return r;
}

// ---- elements (D.12.5) -----------------------------------------------------------------------

enum Field : std::uint8_t { Birth, Expiry, Issue, Under18, Under21, FieldCount };

/// DBB date of birth, DBA expiry, DBD issue, DDH under 18 until, DDJ under 21 until (D.12.5.1,
/// D.12.5.2); the same IDs in version 01.
constexpr std::array<std::string_view, FieldCount> FieldIds{"DBB", "DBA", "DBD", "DDH", "DDJ"};

enum class Seen : std::uint8_t {
	No,     ///< not in the subfile
	Empty,  ///< present without a value: empty, "NONE" or "00000000"
	Digits, ///< eight digits
	Bad,    ///< present, but not eight digits
};

struct RawDate {
	Seen seen = Seen::No;
	const char* digits = nullptr; ///< the eight digits, inside the payload
};

struct Elements {
	std::array<RawDate, FieldCount> dates{};
	bool conflict = false; ///< a date element appeared twice with different values
};

void Record(Elements& e, Field f, Seen seen, const char* digits) noexcept
{
	RawDate& d = e.dates[f];
	if (d.seen == Seen::No)
		d = RawDate{seen, digits};
	else if (d.seen != seen || (seen == Seen::Digits && std::memcmp(d.digits, digits, 8) != 0))
		e.conflict = true;
}

/// One element in a subfile with separators: its value runs to the next separator.
void RecordLine(Elements& e, std::string_view line) noexcept
{
	for (std::size_t f = 0; f < FieldCount; ++f) {
		if (!HasAt(line, 0, FieldIds[f]))
			continue;
		std::string_view value = line.substr(3);
		while (!value.empty() && value.front() == ' ')
			value.remove_prefix(1);
		while (!value.empty() && IsJunk(value.back()))
			value.remove_suffix(1);
		// Dates are 8 digits. Some issuers append a letter in the same element (New Hampshire).
		if (value.empty() || value == "00000000" || (value.size() == 4 && HasAt(value, 0, "NONE")))
			Record(e, Field(f), Seen::Empty, nullptr);
		else if (DigitsAt(value, 0, 8) >= 0 && (value.size() == 8 || IsLetter(value[8])))
			Record(e, Field(f), Seen::Digits, value.data());
		else
			Record(e, Field(f), Seen::Bad, nullptr);
		return;
	}
}

/// True when at least two elements start after a separator: the subfile kept its separators.
bool HasSeparatedElements(std::string_view region) noexcept
{
	int starts = 0;
	for (std::size_t p = 0; p < region.size(); ++p) {
		if (!IsSeparator(region[p]))
			continue;
		const std::size_t q = SkipJunk(region, p);
		if (IsElementIdAt(region, q) && ++starts >= 2)
			return true;
		p = q;
	}
	return false;
}

/// Collects the date elements of one subfile. With separators, an element starts
/// at each line; without them (keyboard-wedge output), a date element is an ID followed by exactly
/// eight digits, found by scanning.
void ReadElements(std::string_view region, Elements& e) noexcept
{
	if (HasSeparatedElements(region)) {
		for (std::size_t p = SkipJunk(region, 0); p < region.size(); p = SkipJunk(region, p)) {
			std::size_t q = p;
			while (q < region.size() && !IsSeparator(region[q]))
				++q;
			RecordLine(e, region.substr(p, q - p));
			p = q;
		}
		return;
	}
	for (std::size_t p = 0; p + 3 <= region.size(); ++p) {
		for (std::size_t f = 0; f < FieldCount; ++f)
			if (HasAt(region, p, FieldIds[f]) && DigitsAt(region, p + 3, 8) >= 0
				&& !(p + 11 < region.size() && IsDigit(region[p + 11])))
				Record(e, Field(f), Seen::Digits, region.data() + p + 3);
	}
}

// ---- dates -----------------------------------------------------------------------------------

/// The two orders of D.12.5.1: MMDDCCYY (USA) and CCYYMMDD (Canada, and every version 01 payload).
enum Order : std::uint8_t { MonthDayYear, YearMonthDay, OrderCount };

// Eight digits are never a real date in both orders: read month first, the first two digits are a
// month (01-12); read year first, they are a century (19-22). So the structure of the digits alone
// decides the order of every field, and the country (DCG) or the issuer (IIN; New Brunswick writes
// MMDDCCYY, the rest of Canada CCYYMMDD) never has to break a tie: it is not consulted. The date
// order of real cards also disagrees with the country often enough (Wyoming and West Virginia write
// CCYYMMDD) that it could not be trusted to.
static_assert(MinYear >= 1300, "a century must never read as a month");

/// The date that eight digits stand for in `order`, when it is a real calendar date in range.
bool Read(const char* digits, Order order, year_month_day& out) noexcept
{
	const std::string_view d(digits, 8);
	const bool mdy = order == MonthDayYear;
	const int y = DigitsAt(d, mdy ? 4 : 0, 4);
	const int m = DigitsAt(d, mdy ? 0 : 4, 2);
	const int day = DigitsAt(d, mdy ? 2 : 6, 2);
	out = year_month_day{std::chrono::year{y}, std::chrono::month{static_cast<unsigned>(m)},
						 std::chrono::day{static_cast<unsigned>(day)}};
	return y >= MinYear && y <= MaxYear && out.ok();
}

/// True when `d` is `birth` plus `years`; for a birth on 29 February, 28 February and 1 March of a
/// common year both count (issuers differ).
bool IsAnniversary(year_month_day birth, int years, year_month_day d) noexcept
{
	const year_month_day target = birth + std::chrono::years{years};
	if (target.ok())
		return d == target;
	return d == target.year() / std::chrono::February / 28 || d == target.year() / std::chrono::March / 1;
}

/// Scratch space for the dates: wiped when Parse returns.
struct Work {
	Elements elements;
	std::array<year_month_day, FieldCount> dates{};

	Work() noexcept = default;
	Work(const Work&) = delete;
	Work& operator=(const Work&) = delete;
	~Work() { SecureZero(this, sizeof *this); }
};

/// True when the dates agree: birth <= issue <= expiry, and DDH/DDJ are the 18th/21st birthday.
bool Consistent(const std::array<year_month_day, FieldCount>& d, const Elements& e) noexcept
{
	auto has = [&](Field f) { return e.dates[f].seen == Seen::Digits; };
	if (has(Issue) && has(Expiry) && d[Issue] > d[Expiry])
		return false;
	if (has(Issue) && d[Birth] > d[Issue])
		return false;
	if (has(Expiry) && d[Birth] > d[Expiry])
		return false;
	if (has(Under18) && !IsAnniversary(d[Birth], 18, d[Under18]))
		return false;
	if (has(Under21) && !IsAnniversary(d[Birth], 21, d[Under21]))
		return false;
	return true;
}

/// Decides the date order and validates every date: every date must be a real calendar date, all
/// in one order, and they must agree with each other.
Result<Document> Decide(const Header& h, Work& w) noexcept
{
	const Elements& e = w.elements;
	if (e.conflict)
		return Failure{Reason::Malformed, "a date element appears twice with different values"};
	if (e.dates[Birth].seen != Seen::Digits && e.dates[Birth].seen != Seen::Bad)
		return Failure{Reason::MissingBirthDate, "no date of birth (DBB)"};

	std::size_t present = 0, fits[OrderCount] = {0, 0};
	for (std::size_t f = 0; f < FieldCount; ++f) {
		if (e.dates[f].seen == Seen::Bad)
			return Failure{Reason::InvalidDate, "a date element is not eight digits"};
		if (e.dates[f].seen != Seen::Digits)
			continue;
		bool real = false;
		for (int o = 0; o < OrderCount; ++o)
			if (Read(e.dates[f].digits, Order(o), w.dates[f])) {
				++fits[o];
				real = true;
			}
		if (!real)
			return Failure{Reason::InvalidDate, "a date is not a real calendar date"};
		++present;
	}
	// Each date is real in exactly one order; when they are not all in the same one, the order of the
	// document cannot be decided.
	const Order order = fits[MonthDayYear] == present ? MonthDayYear : YearMonthDay;
	if (fits[order] != present)
		return Failure{Reason::AmbiguousDate, "the dates do not share one field order"};
	for (std::size_t f = 0; f < FieldCount; ++f)
		if (e.dates[f].seen == Seen::Digits)
			Read(e.dates[f].digits, order, w.dates[f]);
	if (!Consistent(w.dates, e))
		return Failure{Reason::InvalidDate, "the dates contradict each other"};

	Document doc;
	doc.birth = SecretDate(w.dates[Birth]);
	auto optional = [&](Field f, std::optional<SecretDate>& out) {
		if (e.dates[f].seen == Seen::Digits)
			out.emplace(w.dates[f]);
	};
	optional(Expiry, doc.expiry);
	optional(Issue, doc.issue);
	optional(Under18, doc.under18Until);
	optional(Under21, doc.under21Until);
	doc.version = h.version;
	doc.jurisdiction = JurisdictionOfIin(h.iin);
	return Result<Document>(std::move(doc));
}

} // namespace

Result<Document> Parse(std::span<const std::byte> payload) noexcept
{
	const std::string_view s(reinterpret_cast<const char*>(payload.data()), payload.size());
	const auto header = ParseHeader(s);
	if (!header)
		return header.failure();
	const Range subfile = LocateSubfile(s, *header);
	if (subfile.begin == npos)
		return Failure{Reason::Malformed, "no DL or ID subfile"};
	Work w;
	ReadElements(s.substr(subfile.begin, subfile.end - subfile.begin), w.elements);
	return Decide(*header, w);
}

} // namespace agecheck::aamva

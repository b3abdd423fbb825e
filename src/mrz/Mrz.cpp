// SPDX-License-Identifier: Apache-2.0
// Parser of the ICAO Doc 9303 machine-readable zone (8th ed., 2021; Part 3 for the character set,
// check digits and dates; Parts 4 to 7 for the layouts). See Mrz.h for the rules.
//
// The lines are copied into one fixed buffer on the stack, where OCR confusions are corrected; the
// buffer is wiped before Parse returns. No allocation, no I/O.

#include "mrz/Mrz.h"

#include <cstddef>

namespace agecheck::mrz {
namespace {

using std::chrono::year_month_day;

constexpr std::size_t MaxLines = 3;
constexpr std::size_t MaxLength = 44;

constexpr char Upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }
constexpr bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool IsLetter(char c) noexcept { return c >= 'A' && c <= 'Z'; }
constexpr bool IsMrzChar(char c) noexcept { return IsDigit(c) || IsLetter(c) || c == '<'; }

/// A letter that OCR reads in place of a digit, read back as that digit; anything else unchanged.
constexpr char AsDigit(char c) noexcept
{
	switch (c) {
	case 'O': return '0';
	case 'I': return '1';
	case 'B': return '8';
	case 'S': return '5';
	case 'Z': return '2';
	default: return c;
	}
}

/// A digit that OCR reads in place of a letter, read back as that letter; anything else unchanged.
constexpr char AsLetter(char c) noexcept
{
	switch (c) {
	case '0': return 'O';
	case '1': return 'I';
	case '8': return 'B';
	case '5': return 'S';
	case '2': return 'Z';
	default: return c;
	}
}

// ---- lines -----------------------------------------------------------------------------------

struct Lines {
	std::array<std::string_view, MaxLines> text{}; ///< views into the input, trimmed
	std::size_t count = 0;
	bool tooMany = false;
	bool tooLong = false;
};

constexpr bool IsBlank(char c) noexcept { return c == ' ' || c == '\t'; }

/// Splits at '\n' and '\r', trims blanks, skips empty lines.
Lines Split(std::string_view s) noexcept
{
	Lines l;
	std::size_t p = 0;
	while (p < s.size()) {
		std::size_t q = p;
		while (q < s.size() && s[q] != '\n' && s[q] != '\r')
			++q;
		std::string_view line = s.substr(p, q - p);
		while (!line.empty() && IsBlank(line.front()))
			line.remove_prefix(1);
		while (!line.empty() && IsBlank(line.back()))
			line.remove_suffix(1);
		if (!line.empty()) {
			if (l.count == MaxLines) {
				l.tooMany = true;
				return l;
			}
			if (line.size() > MaxLength)
				l.tooLong = true;
			l.text[l.count++] = line;
		}
		p = q + 1;
	}
	return l;
}

/// The scratch copy of the MRZ: wiped when it goes out of scope.
struct Buffer {
	std::array<std::array<char, MaxLength>, MaxLines> c{};

	Buffer() noexcept = default;
	Buffer(const Buffer&) = delete;
	Buffer& operator=(const Buffer&) = delete;
	~Buffer() { SecureZero(this, sizeof *this); }

	char* at(std::size_t line, std::size_t pos) noexcept { return c[line].data() + pos; }
	std::string_view view(std::size_t line, std::size_t pos, std::size_t n) const noexcept
	{
		return std::string_view(c[line].data() + pos, n);
	}
};

/// The positions of one layout's fields (Doc 9303 Parts 4 to 7).
struct Layout {
	Format format;
	std::size_t length;                      ///< of each line
	std::size_t numberLine, numberPos;       ///< document number, 9 characters, check digit after it
	std::size_t nationalityLine, nationalityPos;
	std::size_t datesLine, birthPos, expiryPos; ///< each 6 digits + check digit
	std::size_t optionalLine, optionalPos, optionalEnd; ///< optional data of the number's line (long numbers)
	bool composite;
};

constexpr Layout Td1{Format::Td1, 30, 0, 5, 1, 15, 1, 0, 8, 0, 15, 30, true};
constexpr Layout Td2{Format::Td2, 36, 1, 0, 1, 10, 1, 13, 21, 1, 28, 35, true};
constexpr Layout Td3{Format::Td3, 44, 1, 0, 1, 10, 1, 13, 21, 1, 28, 42, true};
constexpr Layout MrvA{Format::MrvA, 44, 1, 0, 1, 10, 1, 13, 21, 1, 28, 44, false};
constexpr Layout MrvB{Format::MrvB, 36, 1, 0, 1, 10, 1, 13, 21, 1, 28, 36, false};

/// Picks the layout from the number and lengths of the lines, or fails.
Result<const Layout*> Detect(const Lines& l) noexcept
{
	if (l.count == 0)
		return Failure{Reason::Unreadable, "no text"};
	if (l.tooMany || l.tooLong)
		return Failure{Reason::Malformed, "more than 3 lines, or a line longer than 44 characters"};
	const auto& t = l.text;
	if (l.count == 1)
		return Failure{Reason::NotAnId, "a one-line code (e.g. French driving licence), not an ICAO 9303 MRZ"};
	if (l.count == 3) {
		if (t[0].size() == 30 && t[1].size() == 30 && t[2].size() == 30)
			return &Td1;
		if (t[0].size() == 9 && t[1].size() == 30 && t[2].size() == 30)
			return Failure{Reason::NotAnId, "a Swiss driving licence code, not an ICAO 9303 MRZ"};
		return Failure{Reason::Malformed, "three lines that are not 3x30"};
	}
	const bool visa = Upper(t[0][0]) == 'V';
	if (t[0].size() == 36 && t[1].size() == 36) {
		if (t[0].size() >= 5 && Upper(t[0][0]) == 'I' && Upper(t[0][1]) == 'D' && Upper(t[0][2]) == 'F'
			&& Upper(t[0][3]) == 'R' && Upper(t[0][4]) == 'A')
			return Failure{Reason::NotAnId, "a French identity card of the 1988-2021 layout, not an ICAO 9303 MRZ"};
		return visa ? &MrvB : &Td2;
	}
	if (t[0].size() == 44 && t[1].size() == 44)
		return visa ? &MrvA : &Td3;
	return Failure{Reason::Malformed, "two lines that are not 2x36 or 2x44"};
}

// ---- fields ----------------------------------------------------------------------------------

/// Reads every letter of a digits-only field as the digit OCR confused it with. True if any changed.
bool CorrectDigits(char* p, std::size_t n) noexcept
{
	bool changed = false;
	for (std::size_t i = 0; i < n; ++i) {
		const char d = AsDigit(p[i]);
		changed |= d != p[i];
		p[i] = d;
	}
	return changed;
}

/// Reads every digit of a letters-only field as the letter OCR confused it with.
void CorrectLetters(char* p, std::size_t n) noexcept
{
	for (std::size_t i = 0; i < n; ++i)
		p[i] = AsLetter(p[i]);
}

/// Verifies the check digit at `check` over the `n` characters at `field`. `digitsOnly`: the field
/// holds only digits (dates) and may be corrected; the check digit always may.
Result<Check> Verify(char* field, std::size_t n, char* check, bool digitsOnly) noexcept
{
	bool changed = false;
	if (digitsOnly)
		changed = CorrectDigits(field, n);
	changed |= CorrectDigits(check, 1);
	const int expected = CheckDigit(std::string_view(field, n));
	if (!IsDigit(*check) || expected != *check - '0')
		return Failure{Reason::CheckDigit, "a check digit disagrees with its field"};
	return changed ? Check::Corrected : Check::Passed;
}

/// The state of a check digit that covers fields in states `a` and `b`: Corrected if either is.
constexpr Check Combine(Check a, Check b) noexcept
{
	return a == Check::Corrected || b == Check::Corrected ? Check::Corrected : a == Check::Absent ? b : a;
}

/// The document number and its check digit, with a long number's overflow in the optional data.
Result<Check> VerifyNumber(Buffer& b, const Layout& L) noexcept
{
	char* check = b.at(L.numberLine, L.numberPos + 9);
	// Only TD1 and TD2 define the long number (Part 5 4.2.4, Part 6 4.2.4); the filler in the check
	// digit position says the number continues in the optional data.
	if ((L.format == Format::Td1 || L.format == Format::Td2) && *check == '<') {
		const std::string_view optional = b.view(L.optionalLine, L.optionalPos, L.optionalEnd - L.optionalPos);
		const std::size_t end = optional.find('<');
		const std::size_t n = end == std::string_view::npos ? optional.size() : end;
		if (n < 2)
			return Failure{Reason::CheckDigit, "a long document number without its check digit"};
		// ICAO computes the check digit over the number's characters alone (9 + overflow); some
		// issuers (Belgian cards of 2003, BEL-BO-03003) include the filler between them. Either passes.
		char* overflowCheck = b.at(L.optionalLine, L.optionalPos + n - 1);
		const bool changed = CorrectDigits(overflowCheck, 1);
		std::array<char, 10 + 15> number{};
		for (std::size_t i = 0; i < 10; ++i)
			number[i] = *b.at(L.numberLine, L.numberPos + i); // includes the filler
		for (std::size_t i = 0; i + 1 < n; ++i)
			number[10 + i] = optional[i];
		const int withFiller = CheckDigit(std::string_view(number.data(), 10 + n - 1));
		for (std::size_t i = 9; i + 1 < 10 + n - 1; ++i)
			number[i] = number[i + 1];
		const int icao = CheckDigit(std::string_view(number.data(), 9 + n - 1));
		SecureZero(number.data(), number.size());
		if (!IsDigit(*overflowCheck) || (icao != *overflowCheck - '0' && withFiller != *overflowCheck - '0'))
			return Failure{Reason::CheckDigit, "a check digit disagrees with its field"};
		return changed ? Check::Corrected : Check::Passed;
	}
	char* number = b.at(L.numberLine, L.numberPos);
	auto plain = Verify(number, 9, check, false);
	if (plain)
		return plain;
	// OCR-B's letter O and digit 0 differ by a few pixels, and a document number may hold either:
	// one of them read as the other, at one position, is corrected when the number's check digit
	// then passes (and the composite, checked later over the corrected text). The number says
	// nothing about age; the dates keep their own check digits.
	for (std::size_t i = 0; i < 9; ++i) {
		const char c = number[i];
		if (c != '0' && c != 'O')
			continue;
		number[i] = c == '0' ? 'O' : '0';
		if (Verify(number, 9, check, false))
			return Check::Corrected;
		number[i] = c;
	}
	return plain;
}

/// A date YYMMDD as printed: unknown when it holds '<' fillers (Part 3 4.6 allows them), else its
/// two-digit year, month and day.
struct RawDate {
	bool known = false;
	int yy = 0;
	unsigned mm = 0, dd = 0;
};

/// Reads a date whose check digit passed; letters left in it are Malformed.
Result<RawDate> ReadDate(std::string_view d) noexcept
{
	bool filler = false;
	for (char c : d) {
		if (c == '<')
			filler = true;
		else if (!IsDigit(c))
			return Failure{Reason::Malformed, "a date holds letters"};
	}
	if (filler)
		return RawDate{};
	const int yy = (d[0] - '0') * 10 + (d[1] - '0');
	const auto mm = static_cast<unsigned>((d[2] - '0') * 10 + (d[3] - '0'));
	const auto dd = static_cast<unsigned>((d[4] - '0') * 10 + (d[5] - '0'));
	if (mm < 1 || mm > 12 || dd < 1 || dd > 31)
		return Failure{Reason::InvalidDate, "a date is not a real calendar date"};
	return RawDate{true, yy, mm, dd};
}

/// The birth date: the latest year ending in yy whose date is not after today.
Result<year_month_day> BirthDate(const RawDate& r, year_month_day today) noexcept
{
	using namespace std::chrono;
	const int ty = static_cast<int>(today.year());
	int y = ty - ((ty % 100) + 100) % 100 + r.yy;
	const auto key = [](int yr, unsigned m, unsigned d) { return static_cast<long>(yr) * 10000 + m * 100 + d; };
	if (key(y, r.mm, r.dd) > key(ty, static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day())))
		y -= 100;
	const year_month_day ymd{year{y}, month{r.mm}, day{r.dd}};
	if (!ymd.ok())
		return Failure{Reason::InvalidDate, "a date is not a real calendar date"};
	return ymd;
}

/// The expiry date: the year ending in yy within [today's year - 50, today's year + 49].
Result<year_month_day> ExpiryDate(const RawDate& r, year_month_day today) noexcept
{
	using namespace std::chrono;
	const int ty = static_cast<int>(today.year());
	int y = ty - ((ty % 100) + 100) % 100 + r.yy;
	if (y - ty >= 50)
		y -= 100;
	else if (y - ty < -50)
		y += 100;
	const year_month_day ymd{year{y}, month{r.mm}, day{r.dd}};
	if (!ymd.ok())
		return Failure{Reason::InvalidDate, "a date is not a real calendar date"};
	return ymd;
}

/// Verifies the composite check digit over the ranges of Part 4 4.2.2.2 (TD3), Part 5 4.2.2.2
/// (TD1) and Part 6 4.2.2.2 (TD2).
Result<Check> VerifyComposite(Buffer& b, const Layout& L) noexcept
{
	std::array<char, 64> text{};
	std::size_t n = 0;
	auto append = [&](std::size_t line, std::size_t pos, std::size_t len) {
		for (std::size_t i = 0; i < len; ++i)
			text[n++] = *b.at(line, pos + i);
	};
	char* check = nullptr;
	if (L.format == Format::Td1) {
		append(0, 5, 25);
		append(1, 0, 7);
		append(1, 8, 7);
		append(1, 18, 11);
		check = b.at(1, 29);
	} else {
		const std::size_t last = L.length - 1; // the composite's position
		append(1, 0, 10);
		append(1, 13, 7);
		append(1, 21, last - 21);
		check = b.at(1, last);
	}
	auto r = Verify(text.data(), n, check, false);
	SecureZero(text.data(), text.size());
	return r;
}

Result<MrzDocument> ParseFields(Buffer& b, const Layout& L, year_month_day today) noexcept
{
	MrzDocument doc;
	doc.format = L.format;

	// Letter-only fields: document code, issuing state, nationality.
	CorrectLetters(b.at(0, 0), 1);
	CorrectLetters(b.at(0, 1), 1);
	CorrectLetters(b.at(0, 2), 3);
	CorrectLetters(b.at(L.nationalityLine, L.nationalityPos), 3);
	const char* code = b.at(0, 0);
	const char* state = b.at(0, 2);
	if (!IsLetter(code[0]) || !(IsLetter(code[1]) || code[1] == '<'))
		return Failure{Reason::Malformed, "the document code is not a letter code"};
	if (!IsLetter(state[0]) || !(IsLetter(state[1]) || state[1] == '<') || !(IsLetter(state[2]) || state[2] == '<'))
		return Failure{Reason::Malformed, "the issuing state is not a letter code"};
	if ((L.format == Format::Td3) != (code[0] == 'P') && L.format != Format::MrvA && L.format != Format::MrvB)
		return Failure{Reason::Malformed, "the document code does not match the layout"};
	doc.documentCode = {code[0], code[1]};
	doc.issuingState = {state[0], state[1], state[2]};

	const auto number = VerifyNumber(b, L);
	if (!number)
		return number.failure();
	doc.checks.number = *number;

	const auto birthCheck = Verify(b.at(L.datesLine, L.birthPos), 6, b.at(L.datesLine, L.birthPos + 6), true);
	if (!birthCheck)
		return birthCheck.failure();
	doc.checks.birth = *birthCheck;
	const auto expiryCheck = Verify(b.at(L.datesLine, L.expiryPos), 6, b.at(L.datesLine, L.expiryPos + 6), true);
	if (!expiryCheck)
		return expiryCheck.failure();
	doc.checks.expiry = *expiryCheck;

	if (L.format == Format::Td3) {
		// Personal number (Part 4 4.2.2.2): its check digit may be '<' when the field is all fillers.
		const std::string_view personal = b.view(1, 28, 14);
		char* check = b.at(1, 42);
		if (*check == '<' && personal.find_first_not_of('<') == std::string_view::npos) {
			doc.checks.personal = Check::Absent;
		} else {
			const auto r = Verify(b.at(1, 28), 14, check, false);
			if (!r)
				return r.failure();
			doc.checks.personal = *r;
		}
	}
	if (L.composite) {
		const auto r = VerifyComposite(b, L);
		if (!r)
			return r.failure();
		// The composite passes over corrected fields: it counts as corrected when any of them was.
		doc.checks.composite = Combine(*r, Combine(Combine(doc.checks.number, doc.checks.birth), doc.checks.expiry));
	}

	RawDate raw{};
	if (auto r = ReadDate(b.view(L.datesLine, L.birthPos, 6)); !r)
		return r.failure();
	else
		raw = *r;
	if (raw.known) {
		auto d = BirthDate(raw, today);
		if (!d)
			return d.failure();
		doc.birth.emplace(*d);
	}
	if (auto r = ReadDate(b.view(L.datesLine, L.expiryPos, 6)); !r)
		return r.failure();
	else
		raw = *r;
	if (raw.known) {
		auto d = ExpiryDate(raw, today);
		if (!d)
			return d.failure();
		doc.expiry.emplace(*d);
	}
	SecureZero(&raw, sizeof raw);
	return Result<MrzDocument>(std::move(doc));
}

} // namespace

int CheckDigit(std::string_view field) noexcept
{
	static constexpr int Weights[3] = {7, 3, 1};
	int sum = 0;
	for (std::size_t i = 0; i < field.size(); ++i) {
		const char c = field[i];
		int v = 0;
		if (IsDigit(c))
			v = c - '0';
		else if (IsLetter(c))
			v = c - 'A' + 10;
		else if (c != '<')
			return -1;
		sum = (sum + v * Weights[i % 3]) % 10;
	}
	return sum;
}

Result<MrzDocument> Parse(std::string_view lines, year_month_day today) noexcept
{
	const Lines l = Split(lines);
	const auto layout = Detect(l);
	if (!layout)
		return layout.failure();
	const Layout& L = **layout;

	Buffer b;
	for (std::size_t i = 0; i < l.count; ++i)
		for (std::size_t j = 0; j < L.length; ++j) {
			const char c = Upper(l.text[i][j]);
			if (!IsMrzChar(c))
				return Failure{Reason::Malformed, "a character outside the MRZ set [A-Z0-9<]"};
			b.c[i][j] = c;
		}
	return ParseFields(b, L, today);
}

} // namespace agecheck::mrz

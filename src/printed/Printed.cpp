// SPDX-License-Identifier: Apache-2.0
// Reader of the printed dates on a licence front. See Printed.h for the rules.
//
// The text is read in place, line by line, twice: once for the date of birth, then for the expiry
// date with the profiles that read the date of birth. Only positions, profile bits and the numbers
// of a date are held, in fixed structures on the stack, and the numbers are wiped before Parse
// returns. Lines longer than a card's (MaxLineLength) are skipped, which keeps the work linear in
// the size of the text. No allocation, no I/O.

#include "printed/Printed.h"

#include <array>
#include <cstddef>
#include <cstdint>

namespace agecheck::printed {
namespace {

using std::chrono::year_month_day;

constexpr std::size_t MaxLineLength = 256;    ///< longer lines are not a card's; they are skipped
constexpr std::size_t MaxMatchesPerLine = 64; ///< label matches on one line before merging
constexpr std::size_t MaxLabelsPerLine = 16;  ///< label occurrences on one line after merging
constexpr std::size_t MaxActive = 32;         ///< active profiles (one bit each)
constexpr std::size_t MaxNoise = 8;           ///< blanks and punctuation between a label and its date
constexpr std::size_t MaxLabelGap = 4;        ///< blanks and punctuation where a label has a space or point
constexpr std::size_t MaxSeparatorBlanks = 1; ///< blanks on each side of a '/', '-' or '.' in a date
constexpr std::size_t npos = std::string_view::npos;

enum class Kind : std::uint8_t { Birth, Expiry };

// ---- characters ------------------------------------------------------------------------------

constexpr bool IsDigit(char c) noexcept { return c >= '0' && c <= '9'; }
constexpr bool IsAlpha(char c) noexcept { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }
constexpr bool IsAlnum(char c) noexcept { return IsDigit(c) || IsAlpha(c); }
constexpr bool IsBlank(char c) noexcept { return c == ' ' || c == '\t' || c == '\v'; }
constexpr bool IsLineBreak(char c) noexcept { return c == '\n' || c == '\r' || c == '\f'; }
constexpr char Upper(char c) noexcept { return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c; }

/// The digit a character of a date stands for: itself, or the digit OCR confuses with the letters
/// O I l | S B Z; -1 for anything else.
constexpr int DigitValue(char c) noexcept
{
	if (IsDigit(c))
		return c - '0';
	switch (c) {
	case 'O': return 0;
	case 'I':
	case 'l':
	case '|': return 1;
	case 'S': return 5;
	case 'B': return 8;
	case 'Z': return 2;
	default: return -1;
	}
}
constexpr bool IsDigitLike(char c) noexcept { return DigitValue(c) >= 0; }

/// True when the label character `lc` (upper case, a letter or digit) matches the text's `c`;
/// `confusions`: also the digits OCR reads for the letters O, I, L, B, S, the 'a' and 's'
/// Tesseract reads for the small '4' and '3' of field numbers ("4b." read as "ab.", "3 DOB" as
/// "s 008"), and the 'p' it reads for the small
/// capital 'D' of the AAMVA card's "3 DOB" ("3 p08"; for "3008", see MatchLabel).
constexpr bool LabelCharMatches(char lc, char c, bool confusions) noexcept
{
	const char u = Upper(c);
	if (u == lc)
		return true;
	if (!confusions)
		return false;
	switch (lc) {
	case 'O': return c == '0';
	case 'I':
	case 'L': return c == '1' || c == '|' || u == 'I' || u == 'L';
	case 'B': return c == '8';
	case 'S': return c == '5';
	case '3': return c == 's';
	case '4': return u == 'A';
	case 'D': return c == 'p';
	default: return false;
	}
}

/// Blanks and the punctuation OCR puts in or drops from a label.
constexpr bool IsLabelGap(char c) noexcept
{
	return IsBlank(c) || c == '.' || c == ',' || c == ':' || c == ';' || c == '-' || c == '_' || c == '\'';
}

/// The characters OCR reads for a thin '/' standing alone.
constexpr bool IsSlashMisread(char c) noexcept
{
	return c == '7' || c == '1' || c == 'I' || c == 'l';
}

/// What may stand just before a date.
constexpr bool IsBeforeDate(char c) noexcept
{
	return IsBlank(c) || c == ':' || c == ';' || c == '(' || c == '[' || c == '"' || c == '\'' || c == '|';
}

// ---- lines -----------------------------------------------------------------------------------

/// Walks the lines of a text: views into it, without their line breaks.
class Lines {
public:
	explicit Lines(std::string_view text, std::size_t from = 0) noexcept : _text(text), _next(from) { Advance(); }

	bool Done() const noexcept { return _done; }
	std::string_view Line() const noexcept { return _line; }
	/// Where the text after this line starts.
	std::size_t Next() const noexcept { return _next; }
	void Advance() noexcept
	{
		if (_next >= _text.size()) {
			_done = true;
			_line = {};
			return;
		}
		std::size_t end = _next;
		while (end < _text.size() && !IsLineBreak(_text[end]))
			++end;
		_line = _text.substr(_next, end - _next);
		_next = end + 1;
	}

private:
	std::string_view _text;
	std::string_view _line{};
	std::size_t _next = 0;
	bool _done = false;
};

bool HasAlnum(std::string_view line) noexcept
{
	for (char c : line)
		if (IsAlnum(c))
			return true;
	return false;
}

// ---- profiles --------------------------------------------------------------------------------

/// The active profiles, without nulls and repeats; bit i of a mask stands for p[i].
struct Active {
	std::array<const Profile*, MaxActive> p{};
	std::size_t count = 0;
	std::uint32_t all = 0;
};

// ---- labels ----------------------------------------------------------------------------------

/// The digits of a field number that are printed small and that OCR may read as a letter
/// (LabelCharMatches: '4' as 'a', '3' as 's').
constexpr bool SmallFieldDigit(char c) noexcept { return c == '4' || c == '3'; }

/// Whether `p` is the '0' of the AAMVA "3 DOB" joined and read as digits, "3008": right after a
/// word's "3" (a year such as "2008" is no label).
constexpr bool JoinedDob(std::string_view line, std::size_t p) noexcept
{
	return line[p] == '0' && p >= 1 && line[p - 1] == '3' && (p == 1 || IsBlank(line[p - 2]));
}

/// Letters of a label that OCR may get wrong: one in a word label of 3 to 8 letters, two in a
/// longer one ("Date of Bath"); none in a field number.
constexpr int LabelEdits(std::string_view label) noexcept
{
	int letters = 0;
	for (char c : label)
		letters += IsAlpha(c);
	return IsDigit(label.front()) || letters < 3 ? 0 : letters <= 8 ? 1 : 2;
}

/// MatchLabel from label[k] at line[i], with `edits` letters left that may be misread (another
/// letter or digit in their place) or missing; a word's first letter must be read. Each edit
/// tries both, so the work is bounded by 2^edits (at most 4) walks of the label.
std::size_t MatchLabelFrom(std::string_view line, std::size_t i, std::string_view label, std::size_t k, int edits) noexcept
{
	const bool fieldNumber = IsDigit(label.front());
	while (k < label.size()) {
		if (IsAlnum(label[k])) {
			// Field numbers are matched exactly, but for the small "4" and "3" that OCR reads as "a", "s".
			if (i < line.size() && LabelCharMatches(Upper(label[k]), line[i], !fieldNumber || SmallFieldDigit(label[k]))) {
				const std::size_t end = MatchLabelFrom(line, i + 1, label, k + 1, edits);
				if (end != npos || edits == 0)
					return end;
			}
			if (edits == 0 || !IsAlpha(label[k]) || k == 0 || !IsAlnum(label[k - 1]))
				return npos;
			if (i < line.size() && IsAlnum(line[i])) {
				const std::size_t end = MatchLabelFrom(line, i + 1, label, k + 1, edits - 1); // misread
				if (end != npos)
					return end;
			}
			return MatchLabelFrom(line, i, label, k + 1, edits - 1); // missing
		}
		while (k < label.size() && !IsAlnum(label[k]))
			++k;
		if (k == label.size()) {
			// The label's final punctuation: required after a field number, else optional.
			if (fieldNumber) {
				if (i >= line.size() || (line[i] != '.' && line[i] != ',' && line[i] != ':'))
					return npos;
				++i;
			}
			break;
		}
		for (std::size_t n = 0; n < MaxLabelGap && i < line.size() && IsLabelGap(line[i]); ++n)
			++i;
	}
	if (i < line.size() && IsAlnum(line[i]))
		return npos;
	return i;
}

/// The length of the field number of a numbered label, a field number and one word as the AAMVA
/// card design prints them ("3 DOB", "4b EXP"): 1 for "3", 2 for "4b"; 0 for any other label.
constexpr std::size_t NumberedLabel(std::string_view label) noexcept
{
	std::size_t n = 0;
	while (n < label.size() && IsDigit(label[n]))
		++n;
	if (n == 0)
		return 0;
	const std::size_t number = n < label.size() && IsAlpha(label[n]) ? n + 1 : n;
	if (number + 1 >= label.size() || label[number] != ' ')
		return 0;
	for (std::size_t k = number + 1; k < label.size(); ++k)
		if (!IsAlpha(label[k]))
			return 0;
	return number;
}

/// The end of the numbered label `label` (NumberedLabel: its field number `number` long) matched
/// at `p` in `line`, or npos. The field number is read as printed (but for its small '4' or '3'
/// read as 'a' or 's'). Its word may be misread in every letter: any 2 or more letters or digits,
/// one fewer to one more than the word has ("3 vos", "3 pes", "abexPp"; digits alone only as
/// many: "3.008"), after a gap or, with some of the number read as printed, joined to it ("3008",
/// "abexP"), and followed by a blank, the end of the line or one mark of label punctuation
/// ("3008-").
std::size_t MatchNumberedLabel(std::string_view line, std::size_t p, std::string_view label, std::size_t number) noexcept
{
	std::size_t i = p;
	bool asPrinted = false; // a character of the field number read as printed
	for (std::size_t k = 0; k < number; ++k, ++i) {
		if (i >= line.size() || !LabelCharMatches(Upper(label[k]), line[i], SmallFieldDigit(label[k])))
			return npos;
		asPrinted |= Upper(line[i]) == Upper(label[k]);
	}
	const std::size_t gapFrom = i;
	for (std::size_t n = 0; n < MaxLabelGap && i < line.size() && IsLabelGap(line[i]); ++n)
		++i;
	// Joined to its word only with some of the number as printed ("3008", "abexP"): a word's
	// first letter and its others ("some", "sexe") are not a field number and its label.
	if (i == gapFrom && !asPrinted)
		return npos;
	std::size_t end = i;
	bool letter = false;
	for (; end < line.size() && IsAlnum(line[end]); ++end)
		letter |= IsAlpha(line[end]);
	const std::size_t letters = label.size() - number - 1, read = end - i;
	if (read < 2 || read + 1 < letters || read > letters + 1)
		return npos;
	// A word of digits alone must be as long as the label's ("3008"): a shorter or longer one
	// may be a date's first number ("3. 05.06.1990", the EU field 3).
	if (!letter && read != letters)
		return npos;
	// Not the first number of a date ("3 12/31/1990").
	if (end < line.size() && !IsBlank(line[end])) {
		if (line[end] != '.' && line[end] != ',' && line[end] != ':' && line[end] != '-' && line[end] != '_')
			return npos;
		++end;
	}
	return end;
}

/// The end of `label` matched at `p` in `line`, or npos. See Printed.h for the rules.
std::size_t MatchLabel(std::string_view line, std::size_t p, std::string_view label) noexcept
{
	// A field number stands after a blank, at the start of its line, or after a mark stuck to it
	// ("|3.", "~4b EXP"), but not after a letter, a digit or a date's separator.
	if (IsDigit(label.front()) && p > 0 && !IsBlank(line[p - 1])
	    && (IsAlnum(line[p - 1]) || line[p - 1] == '.' || line[p - 1] == '/' || line[p - 1] == '-' || line[p - 1] == ','
	        || line[p - 1] == ':'))
		return npos;
	if (const std::size_t number = NumberedLabel(label))
		return MatchNumberedLabel(line, p, label, number);
	// "3008" (JoinedDob): the label's 'D' read as the '0' after the 3.
	if (JoinedDob(line, p)) {
		if (Upper(label.front()) != 'D')
			return npos;
		return MatchLabelFrom(line, p + 1, label, 1, LabelEdits(label));
	}
	return MatchLabelFrom(line, p, label, 0, LabelEdits(label));
}

/// One occurrence of a field's labels on a line.
struct LabelAt {
	std::size_t start = 0, end = 0;
	Kind kind = Kind::Birth;
	std::uint32_t profiles = 0; ///< the active profiles with a label matched in [start, end)
};

/// The label occurrences of one line, in order.
struct LineLabels {
	std::array<LabelAt, MaxLabelsPerLine> at{};
	std::size_t count = 0;
	bool overflow = false; ///< too many to be a card's line: the line is ignored
};

/// Adds a match to the occurrences: it joins the last one when that is of the same field and
/// overlaps it or is separated from it by blanks and punctuation only, or by a lone misread '/'.
bool AddLabel(std::string_view line, LineLabels& out, const LabelAt& m) noexcept
{
	if (out.count > 0) {
		LabelAt& last = out.at[out.count - 1];
		if (last.kind == m.kind) {
			// Touching, or apart by marks only; or by one lone character OCR reads for the '/'
			// between a label and its translation ("Expiry 7 Expiration"): between two labels of
			// one field it cannot be part of a date.
			std::size_t alnum = 0, at = 0;
			for (std::size_t i = last.end; i < m.start; ++i)
				if (IsAlnum(line[i])) {
					++alnum;
					at = i;
				}
			const bool joins = m.start <= last.end || alnum == 0
			                   || (alnum == 1 && IsSlashMisread(line[at]) && IsBlank(line[at - 1]) && at + 1 < m.start
			                       && IsBlank(line[at + 1]));
			if (joins) {
				last.end = m.end > last.end ? m.end : last.end;
				last.profiles |= m.profiles;
				return true;
			}
		}
	}
	if (out.count == out.at.size())
		return false;
	out.at[out.count++] = m;
	return true;
}

/// Whether a label may start at `p`: at the start of a word, or, for a letter, right after the
/// field number a word starts with, digits and at most one lower-case letter (OCR joins a field
/// number to its label: "3 DOB" read as "3DOB", "4b EXP" as "4bexP", or with its small "4" read
/// as 'a', "abexP").
bool LabelStart(std::string_view line, std::size_t p) noexcept
{
	if (!IsAlnum(line[p]))
		return false;
	if (p == 0 || !IsAlnum(line[p - 1]))
		return true;
	if (JoinedDob(line, p))
		return true;
	if (!IsAlpha(line[p]))
		return false;
	std::size_t q = p;
	// "4b EXP" joined and its small "4" read as 'a': "abexP".
	if (q >= 2 && line[q - 1] >= 'a' && line[q - 1] <= 'z' && line[q - 2] == 'a' && (q == 2 || !IsAlnum(line[q - 3])))
		return true;
	if (q >= 2 && line[q - 1] >= 'a' && line[q - 1] <= 'z' && IsDigit(line[q - 2]))
		--q; // the field number's letter
	const std::size_t letter = q;
	while (q > 0 && IsDigit(line[q - 1]))
		--q;
	return q < letter && (q == 0 || !IsAlnum(line[q - 1]));
}

/// Finds every label of the active profiles on `line`.
void FindLabels(std::string_view line, const Active& a, LineLabels& out) noexcept
{
	out = LineLabels{};
	std::size_t matches = 0;
	for (std::size_t p = 0; p < line.size(); ++p) {
		if (!LabelStart(line, p))
			continue;
		for (std::size_t i = 0; i < a.count; ++i) {
			for (const Kind kind : {Kind::Birth, Kind::Expiry}) {
				const Profile& pr = *a.p[i];
				for (const std::string_view label : kind == Kind::Birth ? pr.BirthLabels() : pr.ExpiryLabels()) {
					const std::size_t end = label.empty() ? npos : MatchLabel(line, p, label);
					if (end == npos)
						continue;
					if (++matches > MaxMatchesPerLine || !AddLabel(line, out, {p, end, kind, std::uint32_t{1} << i})) {
						out.overflow = true;
						return;
					}
				}
			}
		}
	}
}

/// True when a token is a field number such as "3", "4b", "3." or "4a,".
bool IsFieldNumber(std::string_view token) noexcept
{
	std::size_t i = 0;
	while (i < token.size() && i < 2 && IsDigit(token[i]))
		++i;
	if (i == 0)
		return false;
	if (i < token.size() && IsAlpha(token[i]))
		++i;
	if (i < token.size() && (token[i] == '.' || token[i] == ',' || token[i] == ':'))
		++i;
	return i == token.size();
}

/// True when `line` holds a digit outside its labels and field numbers: a value on the line itself.
bool HoldsValue(std::string_view line, const LineLabels& labels) noexcept
{
	std::size_t p = 0;
	while (p < line.size()) {
		if (IsBlank(line[p])) {
			++p;
			continue;
		}
		std::size_t end = p;
		while (end < line.size() && !IsBlank(line[end]))
			++end;
		std::size_t from = p; // a field number's token may start with a mark ("(4", a quote)
		while (from < end && !IsAlnum(line[from]))
			++from;
		if (!IsFieldNumber(line.substr(from, end - from))) {
			for (std::size_t i = p; i < end; ++i) {
				bool inLabel = false;
				for (std::size_t j = 0; j < labels.count; ++j)
					inLabel |= i >= labels.at[j].start && i < labels.at[j].end;
				if (IsDigit(line[i]) && !inLabel)
					return true;
			}
		}
		p = end;
	}
	return false;
}

/// True when label `j` is a heading over a row of values, so that its value can only be on the
/// next line: followed on its line by the next label ("DOB   Expiry"), by nothing, or by a column
/// gap (3 blanks or more) or a '/' (a translation: "Date of birth / Date de naissance   Sex / Sexe")
/// and then no digit outside other labels. A word right after it ("DOB UNKNOWN") is its value.
bool StandsAlone(std::string_view line, const LineLabels& labels, std::size_t j) noexcept
{
	std::size_t k = j + 1;
	std::size_t q0 = labels.at[j].end, blanks = 0;
	while (q0 < line.size() && IsBlank(line[q0])) {
		++q0;
		++blanks;
	}
	const bool next = k < labels.count && q0 >= labels.at[k].start;
	if (q0 < line.size() && !next && blanks < 3 && line[q0] != '/')
		return false;
	for (std::size_t q = q0; q < line.size(); ++q) {
		if (k < labels.count && q == labels.at[k].start) {
			q = labels.at[k++].end - 1;
			continue;
		}
		if (IsDigit(line[q]))
			return false;
	}
	return true;
}

// ---- dates -----------------------------------------------------------------------------------

/// The numbers of a date as printed. Wiped by its owner.
struct RawDate {
	int year = 0;
	int yearDigits = 0;
	unsigned month = 0;
	unsigned day = 0;
};

/// Reads `min` to `max` digits (or letters OCR confuses with digits) at `i`, not followed by another.
bool ReadNumber(std::string_view s, std::size_t& i, std::size_t min, std::size_t max, int& value) noexcept
{
	std::size_t n = 0;
	int v = 0;
	while (n < max && i + n < s.size() && IsDigitLike(s[i + n])) {
		v = v * 10 + DigitValue(s[i + n]);
		++n;
	}
	const bool ok = n >= min && !(i + n < s.size() && IsDigitLike(s[i + n]));
	if (ok) {
		value = v;
		i += n;
	}
	SecureZero(&v, sizeof v);
	return ok;
}

/// Reads a three-letter English month abbreviation (any case) at `i`.
bool ReadMonthName(std::string_view s, std::size_t& i, unsigned& month) noexcept
{
	static constexpr std::string_view Names[12] = {"JAN", "FEB", "MAR", "APR", "MAY", "JUN",
												   "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"};
	if (i + 3 > s.size() || (i + 3 < s.size() && IsAlpha(s[i + 3])))
		return false;
	for (unsigned m = 0; m < 12; ++m) {
		if (Upper(s[i]) == Names[m][0] && Upper(s[i + 1]) == Names[m][1] && Upper(s[i + 2]) == Names[m][2]) {
			month = m + 1;
			i += 3;
			return true;
		}
	}
	return false;
}

/// Reads a separator at `i`: blanks for ' ', else the character (',' or ':' for '.') with at most
/// MaxSeparatorBlanks blanks on each side.
bool ReadSeparator(std::string_view s, std::size_t& i, char sep) noexcept
{
	std::size_t j = i;
	if (sep == ' ') {
		while (j < s.size() && IsBlank(s[j]))
			++j;
		if (j == i)
			return false;
		i = j;
		return true;
	}
	for (std::size_t n = 0; n < MaxSeparatorBlanks && j < s.size() && IsBlank(s[j]); ++n)
		++j;
	if (j >= s.size() || !(s[j] == sep || (sep == '.' && (s[j] == ',' || s[j] == ':'))))
		return false;
	++j;
	for (std::size_t n = 0; n < MaxSeparatorBlanks && j < s.size() && IsBlank(s[j]); ++n)
		++j;
	i = j;
	return true;
}

/// True when a date may end at `i`: the end of the line, a blank, or closing punctuation that is
/// not followed by a letter or digit (so "15.01.90.5" is not "15.01.90").
bool EndsDate(std::string_view s, std::size_t i) noexcept
{
	if (i == s.size() || IsBlank(s[i]))
		return true;
	const char c = s[i];
	const bool closing = c == '.' || c == ',' || c == ';' || c == ':' || c == ')' || c == ']' || c == '"' || c == '\'';
	return closing && (i + 1 == s.size() || !(IsAlnum(s[i + 1]) || IsDigitLike(s[i + 1])));
}

/// Matches `f` at `p` as a whole word. On success sets `raw` and `end`.
bool MatchFormat(std::string_view s, std::size_t p, const DateFormat& f, RawDate& raw, std::size_t& end) noexcept
{
	if (p >= s.size() || (p > 0 && !IsBeforeDate(s[p - 1])))
		return false;
	RawDate r;
	std::size_t i = p;
	bool ok = true;
	for (std::size_t k = 0; k < 3 && ok; ++k) {
		if (k > 0)
			ok = ReadSeparator(s, i, f.separators[k - 1]);
		if (!ok)
			break;
		int v = 0;
		switch (f.parts[k]) {
		case Part::Day:
		case Part::Day2:
			ok = ReadNumber(s, i, f.parts[k] == Part::Day ? 1 : 2, 2, v);
			r.day = static_cast<unsigned>(v);
			break;
		case Part::Month:
		case Part::Month2:
			ok = ReadNumber(s, i, f.parts[k] == Part::Month ? 1 : 2, 2, v);
			r.month = static_cast<unsigned>(v);
			break;
		case Part::MonthName:
			ok = ReadMonthName(s, i, r.month);
			break;
		case Part::Year2:
		case Part::Year4:
			r.yearDigits = f.parts[k] == Part::Year2 ? 2 : 4;
			ok = ReadNumber(s, i, static_cast<std::size_t>(r.yearDigits), static_cast<std::size_t>(r.yearDigits), v);
			r.year = v;
			break;
		}
		SecureZero(&v, sizeof v);
	}
	ok = ok && EndsDate(s, i);
	if (ok) {
		raw = r;
		end = i;
	}
	SecureZero(&r, sizeof r);
	return ok;
}

/// The calendar date of `r` for a field of `kind`, the century of a two-digit year from `today`.
/// Not ok() when it is not a calendar date.
year_month_day ToDate(const RawDate& r, Kind kind, year_month_day today) noexcept
{
	using namespace std::chrono;
	int y = r.year;
	if (r.yearDigits == 2) {
		const int ty = static_cast<int>(today.year());
		y = ty - ((ty % 100) + 100) % 100 + r.year;
		if (kind == Kind::Birth) {
			const auto key = [](int yr, unsigned m, unsigned d) { return static_cast<long>(yr) * 10000 + m * 100 + d; };
			if (key(y, r.month, r.day) >
				key(ty, static_cast<unsigned>(today.month()), static_cast<unsigned>(today.day())))
				y -= 100;
		} else if (y - ty >= 50) {
			y -= 100;
		} else if (y - ty < -50) {
			y += 100;
		}
	}
	return year_month_day{year{y}, month{r.month}, day{r.day}};
}

/// The readings of the text at one position by the profiles of a mask.
struct Readings {
	bool shape = false;     ///< some format matched
	bool valid = false;     ///< some reading is a calendar date
	bool ambiguous = false; ///< readings that are calendar dates disagree
	year_month_day date{};
	std::uint32_t profiles = 0; ///< the profiles whose reading is `date`

	Readings() noexcept = default;
	Readings(const Readings&) = delete;
	Readings& operator=(const Readings&) = delete;
	~Readings() { SecureZero(this, sizeof *this); }
};

/// True when any format of the profiles in `mask` matches at `p`; sets `end` to the furthest end.
bool AnyFormat(std::string_view s, std::size_t p, const Active& a, std::uint32_t mask, std::size_t& end) noexcept
{
	bool any = false;
	RawDate raw;
	for (std::size_t i = 0; i < a.count; ++i) {
		if (!(mask & (std::uint32_t{1} << i)))
			continue;
		for (const DateFormat& f : a.p[i]->Formats()) {
			std::size_t e = 0;
			if (MatchFormat(s, p, f, raw, e)) {
				end = any && end > e ? end : e;
				any = true;
			}
		}
	}
	SecureZero(&raw, sizeof raw);
	return any;
}

/// Reads the text at `p` with every format of the profiles in `mask`.
void Read(std::string_view s, std::size_t p, const Active& a, std::uint32_t mask, Kind kind, year_month_day today,
		  Readings& out) noexcept
{
	RawDate raw;
	for (std::size_t i = 0; i < a.count; ++i) {
		if (!(mask & (std::uint32_t{1} << i)))
			continue;
		for (const DateFormat& f : a.p[i]->Formats()) {
			std::size_t end = 0;
			if (!MatchFormat(s, p, f, raw, end))
				continue;
			out.shape = true;
			year_month_day d = ToDate(raw, kind, today);
			if (d.ok()) {
				if (!out.valid) {
					out.valid = true;
					out.date = d;
					out.profiles = std::uint32_t{1} << i;
				} else if (d == out.date) {
					out.profiles |= std::uint32_t{1} << i;
				} else {
					out.ambiguous = true;
				}
			}
			SecureZero(&d, sizeof d);
		}
	}
	SecureZero(&raw, sizeof raw);
}

/// Reads the date right after a label on its own line. False when there is none.
bool ReadSameLine(std::string_view line, std::size_t from, const Active& a, std::uint32_t mask, Kind kind,
				  year_month_day today, Readings& out) noexcept
{
	for (std::size_t q = from; q < line.size() && q <= from + MaxNoise; ++q) {
		const char c = line[q];
		if (!IsAlnum(c) && c != '|')
			continue; // blanks and punctuation between the label and its date
		// The label bounds the date on its left, whatever punctuation lies between ("DOB-02/17/1929").
		Read(line.substr(q), 0, a, mask, kind, today, out);
		if (out.shape || c != '|')
			return out.shape;
		// a '|' that starts no date is a ruled line or a border: skip it
	}
	return false;
}

/// Reads the date under a label: the `rank`-th of the `labels` dates on the next line with a letter
/// or digit after `from`. Nothing when that line holds a number that is not a date, a word before
/// its first date (but a speck of one or two letters a column gap before it), or another number
/// of dates; words of letters after the first date are passed over.
void ReadNextLine(std::string_view text, std::size_t from, std::size_t rank, std::size_t labels, const Active& a,
				  std::uint32_t mask, Kind kind, year_month_day today, Readings& out) noexcept
{
	Lines it(text, from);
	while (!it.Done() && !HasAlnum(it.Line()))
		it.Advance();
	if (it.Done() || it.Line().size() > MaxLineLength)
		return;
	const std::string_view line = it.Line();
	std::size_t dates = 0;
	std::size_t at = npos;
	bool words = false; // a word already passed over
	for (std::size_t p = 0; p < line.size();) {
		std::size_t end = 0;
		if ((IsAlnum(line[p]) || line[p] == '|') && AnyFormat(line, p, a, a.all, end)) {
			if (dates == rank)
				at = p;
			++dates;
			p = end;
		} else if (IsAlnum(line[p])) {
			// A word of letters after the first date (a value of another column, "F" under "Sex",
			// OCR noise) is passed over; a number that is not a date may be a misread one, so the
			// row is not read at all.
			std::size_t q = p;
			bool digits = false;
			while (q < line.size() && IsAlnum(line[q]))
				digits |= IsDigit(line[q++]);
			// A word before the first date is its own label ("Issued 01/02/2020"), unless it
			// is a speck of one or two letters at the start of the row, set apart from the dates
			// by a column gap ("ME.   26 NOV 2008", the edge of a photo read as letters).
			std::size_t gap = q;
			while (gap < line.size() && !IsAlnum(line[gap]) && !IsBlank(line[gap]))
				++gap;
			const std::size_t blanks = gap;
			while (gap < line.size() && IsBlank(line[gap]))
				++gap;
			const bool speck = dates == 0 && !words && q - p <= 2 && gap - blanks >= 3;
			if (digits || (dates == 0 && !speck))
				return;
			words = true;
			p = q;
		} else {
			++p;
		}
	}
	if (dates == labels && at != npos)
		Read(line, at, a, mask, kind, today, out);
}

// ---- fields ----------------------------------------------------------------------------------

/// What the occurrences of one field gave.
struct Field {
	bool label = false;     ///< a label of the field was found
	bool invalid = false;   ///< a date-shaped text that no profile reads as a calendar date
	bool ambiguous = false; ///< readings or occurrences that disagree
	bool found = false;
	year_month_day date{};
	std::uint32_t profiles = 0; ///< the profiles that read `date`

	Field() noexcept = default;
	Field(const Field&) = delete;
	Field& operator=(const Field&) = delete;
	~Field() { SecureZero(this, sizeof *this); }

	void Add(const Readings& r) noexcept
	{
		ambiguous |= r.ambiguous;
		if (r.shape && !r.valid)
			invalid = true;
		if (!r.valid)
			return;
		if (!found) {
			found = true;
			date = r.date;
			profiles = r.profiles;
		} else if (date == r.date) {
			profiles |= r.profiles;
		} else {
			ambiguous = true;
		}
	}
};

/// Reads every occurrence of the `kind` labels of the profiles in `allowed`.
void Collect(std::string_view text, const Active& a, Kind kind, std::uint32_t allowed, year_month_day today,
			 Field& field) noexcept
{
	LineLabels labels;
	for (Lines it(text); !it.Done(); it.Advance()) {
		const std::string_view line = it.Line();
		if (line.size() > MaxLineLength)
			continue;
		FindLabels(line, a, labels);
		if (labels.overflow || labels.count == 0)
			continue;
		const bool holdsValue = HoldsValue(line, labels);
		for (std::size_t j = 0; j < labels.count; ++j) {
			const LabelAt& at = labels.at[j];
			const std::uint32_t mask = at.profiles & allowed;
			if (at.kind != kind || mask == 0)
				continue;
			field.label = true;
			Readings r;
			if (!ReadSameLine(line, at.end, a, mask, kind, today, r) && !holdsValue && StandsAlone(line, labels, j))
				ReadNextLine(text, it.Next(), j, labels.count, a, mask, kind, today, r);
			field.Add(r);
		}
	}
}

} // namespace

Result<PrintedDates> Parse(std::string_view ocrText, std::span<const Profile* const> active,
						   year_month_day today) noexcept
{
	Active a;
	for (const Profile* p : active) {
		bool repeat = p == nullptr;
		for (std::size_t i = 0; i < a.count; ++i)
			repeat |= a.p[i] == p;
		if (repeat)
			continue;
		if (a.count == MaxActive)
			return Failure{Reason::Malformed, "more than 32 active printed-date profiles"};
		a.all |= std::uint32_t{1} << a.count;
		a.p[a.count++] = p;
	}
	if (a.count == 0)
		return Failure{Reason::Unreadable, "no printed-date profile is active"};
	if (!today.ok())
		return Failure{Reason::InvalidDate, "today is not a calendar date"};

	Field birth;
	Collect(ocrText, a, Kind::Birth, a.all, today, birth);
	if (birth.ambiguous)
		return Failure{Reason::AmbiguousDate, "the printed date of birth reads as different dates"};
	if (birth.invalid)
		return Failure{Reason::InvalidDate, "a printed date of birth is not a real calendar date"};
	if (!birth.found)
		return Failure{Reason::Unreadable, birth.label ? "no date next to a date-of-birth label"
													   : "no date-of-birth label"};

	Field expiry;
	Collect(ocrText, a, Kind::Expiry, birth.profiles, today, expiry);
	if (expiry.ambiguous)
		return Failure{Reason::AmbiguousDate, "the printed expiry date reads as different dates"};
	if (expiry.invalid)
		return Failure{Reason::InvalidDate, "a printed expiry date is not a real calendar date"};

	PrintedDates out;
	out.birth = SecretDate(birth.date);
	if (expiry.found)
		out.expiry.emplace(expiry.date);
	return Result<PrintedDates>(std::move(out));
}

} // namespace agecheck::printed

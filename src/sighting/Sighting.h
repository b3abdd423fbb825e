// SPDX-License-Identifier: Apache-2.0
#pragma once
// Frames in, Sighting out: locate, rectify, decode, parse, validate and apply the age policy.
// A Sighting is the only thing that leaves this stage: booleans per threshold and a reason.

#include <array>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <opencv2/core/mat.hpp>
#include <optional>
#include <span>
#include <string_view>

#include "age/Policy.h"
#include "common/Reason.h"
#include "common/Secret.h"
#include "locate/Locate.h"

namespace agecheck::capture {
class FrameSource;
}
namespace agecheck::ocr {
class Engine;
}
namespace agecheck::printed {
struct Profile;
}
namespace agecheck::mrz {
enum class Format : std::uint8_t;
}
namespace agecheck::locate {
struct TextBlock;
}

namespace agecheck::sighting {

/// At most this many thresholds are decided per sighting.
inline constexpr std::size_t kMaxThresholds = 4;

/// The outcome of sighting one ID: a verdict per threshold and one reason. Nothing else.
struct Sighting {
	Reason reason = Reason::Unreadable;            ///< the source when verified, else why not
	std::size_t count = 0;                         ///< how many thresholds were decided
	std::array<int, kMaxThresholds> thresholds{};  ///< the thresholds, as the policy offered them
	std::array<Verdict, kMaxThresholds> verdicts{}; ///< the verdict for each threshold

	/// The verdict for `threshold`; Unverified when it was not decided.
	Verdict verdictFor(int threshold) const noexcept;
	/// True when an ID document was read (verified or not): the search can stop.
	bool documentRead() const noexcept { return reason != Reason::Unreadable && reason != Reason::NotAnId; }
	/// True for a failure that an OCR misreading can cause (check-digit, mismatch): a later frame
	/// of the same document may read it correctly, so a live search keeps looking for a while
	/// before it reports one.
	bool tentative() const noexcept { return reason == Reason::CheckDigit || reason == Reason::Mismatch; }
};

/// What would help the cashier get a reading: a plain hint, for frames that gave no verdict.
enum class Hint : std::uint8_t {
	None,         ///< nothing to say (nothing found, or a verdict)
	HoldStill,    ///< a barcode or MRZ is in view but did not read: blur, motion
	MoveCloser,   ///< it is in view but too small to read
	TiltForGlare, ///< a reflection washes out part of it
	TurnOver,     ///< a card's printed side without a readable date: the barcode is on the back
};

/// What the scanner found in a frame, for drawing on the cashier's preview.
enum class Found : std::uint8_t {
	Nothing, ///< no barcode, MRZ or card text
	Barcode, ///< a PDF417-like region
	Mrz,     ///< a machine-readable zone
	Text,    ///< a card's block of printed text
};

/// Guidance from one frame: where the scanner looked and a hint. Geometry and a code only, no
/// identity data: it may leave the worker with the Sighting.
struct Guide {
	Found found = Found::Nothing;
	Hint hint = Hint::None;
	/// The outline of what was found (top-left, top-right, bottom-right, bottom-left), as
	/// fractions of the frame's width and height (0..1); meaningless when found is Nothing.
	std::array<cv::Point2f, 4> outline{};
};

/// Scanner options; each states its default.
struct Options {
	locate::Options locate{};     ///< detector options; see locate::Options
	int maxCandidates = 3;        ///< regions tried per frame, best first; default 3
	long maxPixels = 40'000'000;  ///< larger frames are not scanned (unreadable); default 40 MP
	long maxFrames = 9'000;       ///< scanSource stops after this many frames (5 min at 30 fps); default 9000
	/// scanSource keeps reading this many frames after a tentative failure for a verified reading;
	/// default 15 (half a second at 30 fps)
	long settleFrames = 15;
	/// Text recognition for MRZs and printed dates; null: barcodes only. Not thread-safe, like
	/// the Scanner: give each scanning thread its own. Default null.
	std::shared_ptr<ocr::Engine> ocr;
	int maxMrzCandidates = 2;     ///< MRZ zones tried per frame, best first; default 2
	/// After an MRZ is read, read the page's printed date of birth too and answer "mismatch" when
	/// the two differ; default true
	bool checkPrinted = true;
};

/// Scans frames for PDF417 AAMVA barcodes, machine-readable zones and printed dates of birth, and
/// decides them under a policy. Not thread-safe; one per worker thread.
class Scanner {
public:
	explicit Scanner(age::Policy policy, Options options = {});

	/// Scans one 8-bit BGR, BGRA or grey frame taken `today`. Reason Unreadable when nothing was
	/// decoded, and for frames of any other type, empty or too large. Never throws: an OpenCV or
	/// allocation failure on a hostile frame is Unreadable too.
	Sighting scanFrame(const cv::Mat& frame, std::chrono::year_month_day today) const noexcept;
	/// The same, and `guide` (when not null) receives what was found and, for a frame without a
	/// verdict (unreadable, or a tentative failure), a hint for the cashier.
	Sighting scanFrame(const cv::Mat& frame, std::chrono::year_month_day today, Guide* guide) const noexcept;

	/// Decides a decoded barcode payload (AAMVA or not).
	Sighting decidePayload(std::span<const std::byte> payload, std::chrono::year_month_day today) const;

	/// Decides MRZ text (lines separated by '\n') as read by OCR: fillers runs are stretched or
	/// shortened by up to 2 to the format's line length first (check digits then decide). Three
	/// lines that do not parse, two adjacent ones of which were read about a TD2 or TD3 line long,
	/// are read as those two alone (a line of other print taken into a two-line zone).
	/// `birth` receives the date of birth when the MRZ parsed, and `format` its format.
	Sighting decideMrz(std::string_view text, std::chrono::year_month_day today,
	                   std::optional<SecretDate>* birth = nullptr, mrz::Format* format = nullptr) const noexcept;

	/// Decides the OCR text of a card front by its printed dates, with the policy's active
	/// printed-date profiles (src/printed). `birth` receives the date of birth when one was read.
	Sighting decidePrinted(std::string_view text, std::chrono::year_month_day today,
	                       std::optional<SecretDate>* birth = nullptr) const noexcept;

	/// Reads frames from `source` until a document is read, the source ends or maxFrames were read;
	/// after a tentative failure it reads at most settleFrames more for a better reading, and gives
	/// that failure if none comes. Every frame is scanned (file sources are audited frame by frame; live sources drop frames
	/// upstream). Never throws: a source that fails mid-way ends the search.
	Sighting scanSource(capture::FrameSource& source, std::chrono::year_month_day today) const noexcept;

	const age::Policy& policy() const noexcept { return _policy; }

	/// What the scanner did since it was made: counts only, for benchmarks and tests.
	struct Counters {
		/// Pages whose printed date of birth was looked for, to compare with their MRZ's
		long printedChecks = 0;
		/// Of those, the pages where one was read (the same as the MRZ's or not)
		long printedFound = 0;
	};
	const Counters& counters() const noexcept { return _counters; }

private:
	/// A sighting with every offered threshold unverified, for `reason`.
	Sighting unverified(Reason reason) const noexcept;
	/// scanFrame's work, which may throw; `best` is the unreadable sighting to improve on.
	Sighting scan(const cv::Mat& frame, std::chrono::year_month_day today, Sighting best, Guide* guide) const;
	/// The barcode path: find PDF417 symbols, decode, parse and decide. `guide` (when not null)
	/// receives the best candidate's outline, with its Found left as is when there was none.
	Sighting scanBarcodes(const cv::Mat& gray, std::chrono::year_month_day today, Sighting best,
	                      Guide* guide = nullptr) const;
	/// The MRZ path: find the zone, read its lines, parse and decide; `guide` as for scanBarcodes.
	Sighting scanMrz(const cv::Mat& gray, std::chrono::year_month_day today, Sighting best,
	                 Guide* guide = nullptr) const;
	/// How scanPrinted reads a block of text.
	struct TextRead {
		float lineHeight = 26.f; ///< its lines scaled to about this height (px)
		bool evenPaper = true;   ///< its paper evened out first (ocr::FlattenPaper)
		float squeeze = 1.f;     ///< read narrowed along its lines to this share of its width
		/// Read line by line (ocr::Engine::readLines), each at most this many line heights long
		/// from its left end, until a date of birth is read; 0: the block at once, to its end.
		float untilBirth = 0;
		/// When no date of birth or expiry date is read, read again with this many line heights
		/// of margin before the lines (first: one); 0: no second reading.
		float retryLeftMargin = 0;
	};
	/// The printed path: find the card's text, read it, find the dates by their labels.
	/// `birth` receives the date of birth when one was read (for the mismatch check); `guide` as
	/// for scanBarcodes.
	Sighting scanPrinted(const cv::Mat& gray, std::chrono::year_month_day today, std::optional<SecretDate>* birth,
	                     Guide* guide, const TextRead& how) const;
	/// One reading of the `block` scanPrinted found, cut out with `leftMargin` line heights of
	/// margin before its lines; `guide` receives the hint for illegible text, `digits` (when not
	/// null) how many digits were read (none when the text was too blurred to read).
	Sighting readPrinted(const cv::Mat& gray, const locate::TextBlock& block, std::chrono::year_month_day today,
	                     std::optional<SecretDate>* birth, Guide* guide, const TextRead& how, float leftMargin,
	                     std::size_t* digits) const;
	/// Decides one document's dates from `source`.
	Sighting decideDates(const SecretDate& birth, const std::optional<SecretDate>& expiry, Reason source,
	                     std::chrono::year_month_day today) const noexcept;

	age::Policy _policy;
	Options _options;
	std::array<const printed::Profile*, 8> _profiles{}; ///< the policy's active printed-date profiles
	std::size_t _profileCount = 0;
	mutable Counters _counters;
};

} // namespace agecheck::sighting

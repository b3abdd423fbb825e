// SPDX-License-Identifier: Apache-2.0
#pragma once
// Text recognition with Tesseract's LSTM engine through its C++ API: one MRZ line at a time with
// the project's OCR-B models (models/mrz.traineddata, fast; models/mrz_best.traineddata, slower
// and better on hard lines), and the printed text of a card front with
// Debian's English model. Text comes back into a caller's fixed buffer (meant to live on the stack
// and be wiped by the caller); Tesseract's own copies are released after every call, and freed
// memory is zeroed by the process-wide wiping layers (secure/Wipe.h).
//
// Tesseract's OpenMP threads make it several times slower on a small machine unless
// OMP_THREAD_LIMIT=1 is in the environment before the process starts: secure::PrepareEnvironment
// (called first thing in every binary's main) takes care of it.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <string_view>

#include <opencv2/core/mat.hpp>

namespace agecheck::ocr {

/// Where the models are. Each directory holds `<language>.traineddata`.
struct Models {
	std::string mrzDir;                  ///< the MRZ model's directory; default DefaultModelDir()
	std::string mrzLanguage = "mrz";     ///< default "mrz" (models/mrz.traineddata)
	std::string mrzBestLanguage = "mrz_best"; ///< default "mrz_best" (models/mrz_best.traineddata), same directory
	std::string textDir;                 ///< the front-text model's directory; default DefaultTextDir()
	std::string textLanguage = "eng";    ///< default "eng" (Debian's tesseract-ocr-eng)
};

/// The project's models/ directory, as configured at build time.
std::string DefaultModelDir();
/// Debian's tessdata directory (/usr/share/tesseract-ocr/5/tessdata).
std::string DefaultTextDir();
/// Models with both directories defaulted.
Models DefaultModels();

/// The picture Engine::scrub() reads: one line of neutral text (CV_8UC1, dark on white) at least
/// `span` line heights long, as Engine::longestLine() measures lines.
cv::Mat NeutralLine(float span);

/// Which MRZ model reads a line: the fast one (24 px lines), or the best one (36 px lines: about
/// 1.6 times as long a pass, and it reads some hard lines the fast one misses).
enum class MrzModel : std::uint8_t { Fast, Best };

/// Three Tesseract engines (two MRZ models and the text model), loaded once. Not thread-safe: one
/// per scanning thread.
class Engine {
public:
	/// Loads the three models. Null with `error` set ("PATH: cannot read", "PATH: not a Tesseract
	/// model") when a file is missing or broken. Never throws.
	static std::unique_ptr<Engine> Open(const Models& models, std::string* error) noexcept;
	~Engine();
	Engine(const Engine&) = delete;
	Engine& operator=(const Engine&) = delete;

	/// Reads one upright MRZ line (CV_8UC1, dark text on light) into `out`: only 'A'-'Z', '0'-'9'
	/// and '<', no spaces, NUL-terminated when there is room. Returns the number of characters (0
	/// when nothing was read, or when the image is empty or not CV_8UC1). Never throws.
	std::size_t readMrzLine(const cv::Mat& line, std::span<char> out, MrzModel model = MrzModel::Fast) noexcept;

	/// Reads the printed text of a card (CV_8UC1) into `out` as lines separated by '\n',
	/// NUL-terminated when there is room; text beyond the buffer is cut. Returns its length (0 on
	/// nothing or failure). Never throws.
	std::size_t readText(const cv::Mat& gray, std::span<char> out) noexcept;

	/// Reads the same text line by line: Tesseract's layout finds the lines of `gray` (CV_8UC1),
	/// then each is read on its own, top to bottom, into `out` after the ones before it, until
	/// `enough(text so far)` is true (or the lines or the buffer run out). What follows a line's
	/// first `maxSpan` line heights (from its left end) is not read. For a search that can stop at
	/// its first find. Returns the length of the text; never throws (an exception from `enough`
	/// ends the reading with nothing read).
	std::size_t readLines(const cv::Mat& gray, std::span<char> out, float maxSpan,
	                      const std::function<bool(std::string_view)>& enough) noexcept;

	/// Runs each engine that read something since the last scrub once on a line of neutral text
	/// longer than any line it read (NeutralLine(longestLine()) or more), so that what the
	/// recognisers keep between calls (the beam search's candidates and the network's activations
	/// at each step along a line, which a shorter line does not write over) no longer derives from
	/// an ID. Call it after reading a frame; it does nothing when nothing was read since the last
	/// time. Never throws.
	void scrub() noexcept;

	/// The longest text line either engine found since the last scrub(), in line heights: its
	/// length once Tesseract has scaled it to its network's height, in units of that height.
	float longestLine() const noexcept;

	/// How many readMrzLine, readText and readLines calls this engine has made (scrub()'s own not counted):
	/// what a frame cost in recogniser passes, for tests and benchmarks.
	std::size_t reads() const noexcept;

private:
	Engine();
	struct Impl;
	std::unique_ptr<Impl> _impl;
};

} // namespace agecheck::ocr

// SPDX-License-Identifier: Apache-2.0
#include "ocr/Ocr.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <string>
#include <string_view>
#include <fcntl.h>
#include <unistd.h>
#include <vector>

#include <leptonica/allheaders.h>
#include <opencv2/imgproc.hpp>
#include <tesseract/baseapi.h>

#include "common/Secret.h"

namespace agecheck::ocr {

namespace {

constexpr const char* kMrzAlphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<";

/// True when `path` can be opened for reading and starts like a traineddata file; else `why`.
bool CheckModelFile(const std::string& path, std::string* why)
{
	const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*why = path + ": cannot read: " + std::strerror(errno);
		return false;
	}
	// A traineddata file is a tessdata archive: an int32 count of entries, then the offsets.
	std::int32_t count = 0;
	const bool ok = read(fd, &count, sizeof count) == ssize_t(sizeof count) && count > 0 && count < 64;
	close(fd);
	if (!ok)
		*why = path + ": not a Tesseract model";
	return ok;
}

/// Loads `language` from `dir` into `api` with the LSTM engine, without dictionaries: IDs hold
/// names and codes, not words, and a dictionary only pulls readings towards English.
bool Load(tesseract::TessBaseAPI& api, const std::string& dir, const std::string& language, std::string* error)
{
	if (!CheckModelFile(dir + "/" + language + ".traineddata", error))
		return false;
	std::vector<std::string> names = {"load_system_dawg", "load_freq_dawg", "load_punc_dawg",
	                                  "load_number_dawg", "load_unambig_dawg", "load_bigram_dawg"};
	std::vector<std::string> values(names.size(), "0");
	if (api.Init(dir.c_str(), language.c_str(), tesseract::OEM_LSTM_ONLY, nullptr, 0, &names, &values, false) != 0) {
		*error = dir + "/" + language + ".traineddata: not a Tesseract model";
		return false;
	}
	// Tesseract prints nothing identity-bearing, but keep its diagnostics quiet anyway.
	api.SetVariable("debug_file", "/dev/null");
	return true;
}

/// Appends what `api` reads in its image (or rectangle) to `out`, after its first `n` characters,
/// with `keep` deciding which characters stay; Tesseract's copy is wiped and released. Returns
/// the new length, at most out.size() - 1. May throw (Tesseract, allocation).
template <typename Keep>
std::size_t TakeText(tesseract::TessBaseAPI& api, std::span<char> out, std::size_t n, Keep keep)
{
	char* text = api.GetUTF8Text();
	if (text) {
		const std::size_t len = std::strlen(text);
		for (std::size_t i = 0; i < len && n + 1 < out.size(); ++i)
			if (keep(text[i]))
				out[n++] = text[i];
		SecureZero(text, len);
		delete[] text;
	}
	return n;
}

/// Grows `span` to the longest text line `api` found in its last reading, in line heights.
void GrowSpan(tesseract::TessBaseAPI& api, float& span)
{
	if (tesseract::ResultIterator* it = api.GetIterator()) {
		do {
			int left = 0, top = 0, right = 0, bottom = 0;
			if (it->BoundingBox(tesseract::RIL_TEXTLINE, &left, &top, &right, &bottom) && bottom > top)
				span = std::max(span, float(right - left) / float(bottom - top));
		} while (it->Next(tesseract::RIL_TEXTLINE));
		delete it;
	}
}

/// The characters of a card's text that are kept: all but carriage returns and form feeds.
bool KeepText(char c)
{
	return c != '\r' && c != '\f';
}

/// Hands `img` (CV_8UC1) to `api` and copies the result into `out` with `keep` deciding which
/// characters stay; Tesseract's copies are wiped and released before returning. `span` grows to
/// the longest text line read, in line heights (its length after Tesseract scales it to the
/// network's height, in those heights): a raw line's is the whole picture's, others' the text
/// lines Tesseract found.
template <typename Keep>
std::size_t Recognise(tesseract::TessBaseAPI& api, const cv::Mat& img, std::span<char> out, float& span, Keep keep) noexcept
{
	if (out.empty())
		return 0;
	out[0] = '\0';
	if (img.empty() || img.type() != CV_8UC1 || img.cols < 8 || img.rows < 8)
		return 0;
	std::size_t n = 0;
	try {
		api.SetImage(img.data, img.cols, img.rows, 1, int(img.step[0]));
		api.SetSourceResolution(300);
		n = TakeText(api, out, 0, keep);
		if (api.GetPageSegMode() == tesseract::PSM_RAW_LINE) {
			// The whole picture is the line the network reads, whatever part of it holds text.
			span = std::max(span, float(img.cols) / float(img.rows));
		} else {
			GrowSpan(api, span);
		}
	} catch (...) {
		n = 0;
	}
	api.Clear(); // drops the image and the results
	if (n < out.size())
		out[n] = '\0';
	return n;
}

} // namespace

cv::Mat NeutralLine(float span)
{
	constexpr std::string_view kPattern = "SCRUB<<0000000000<<<<ZZZZ<<";
	constexpr int kFont = cv::FONT_HERSHEY_SIMPLEX;
	constexpr double kScale = 1.1;
	constexpr int kThickness = 2;
	int baseline = 0;
	std::string text(kPattern);
	cv::Size size = cv::getTextSize(text, kFont, kScale, kThickness, &baseline);
	// A tight picture: the MRZ engines read it whole (a raw line), so its length counts in heights
	// of the whole picture; the text engine finds the line inside it, a little shorter in height.
	const int pad = std::max(3, size.height / 8);
	const int height = size.height + 2 * pad;
	// The pattern's characters over and over until the picture is 5% longer than asked; at least
	// the pattern once.
	const double wanted = 1.05 * double(std::max(span, 0.f)) * height;
	for (std::size_t i = 0; size.width + 2 * pad < wanted && text.size() < 4096; ++i) {
		text += kPattern[i % kPattern.size()];
		size = cv::getTextSize(text, kFont, kScale, kThickness, &baseline);
	}
	cv::Mat m(height, size.width + 2 * pad, CV_8UC1, cv::Scalar(255));
	cv::putText(m, text, {pad, pad + size.height}, kFont, kScale, cv::Scalar(0), kThickness);
	return m;
}

std::string DefaultModelDir()
{
	return AGECHECK_MODEL_DIR;
}

std::string DefaultTextDir()
{
	return "/usr/share/tesseract-ocr/5/tessdata";
}

Models DefaultModels()
{
	Models m;
	m.mrzDir = DefaultModelDir();
	m.textDir = DefaultTextDir();
	return m;
}

/// One Tesseract engine and what it read since the last scrub(): whether anything other than
/// neutral text, and its longest line in line heights (Recognise's `span`).
struct Recogniser {
	tesseract::TessBaseAPI api;
	bool dirty = false;
	float span = 0;
};

struct Engine::Impl {
	Recogniser mrz;     ///< models/mrz.traineddata
	Recogniser mrzBest; ///< models/mrz_best.traineddata
	Recogniser text;    ///< Debian's eng
	std::size_t reads = 0; ///< readMrzLine and readText calls, scrub()'s own not counted
};

Engine::Engine() : _impl(std::make_unique<Impl>()) {}

Engine::~Engine() = default;

std::unique_ptr<Engine> Engine::Open(const Models& models, std::string* error) noexcept
{
	std::string why;
	try {
		setMsgSeverity(L_SEVERITY_NONE); // Leptonica's warnings about clipped boxes are noise on stderr
		std::unique_ptr<Engine> e(new Engine());
		const std::string mrzDir = models.mrzDir.empty() ? DefaultModelDir() : models.mrzDir;
		if (!Load(e->_impl->mrz.api, mrzDir, models.mrzLanguage, &why)
		    || !Load(e->_impl->mrzBest.api, mrzDir, models.mrzBestLanguage, &why)
		    || !Load(e->_impl->text.api, models.textDir.empty() ? DefaultTextDir() : models.textDir, models.textLanguage, &why)) {
			if (error)
				*error = why;
			return nullptr;
		}
		// A raw line: each cut-out is already one upright line, so Tesseract's layout analysis
		// (thresholding into blobs, finding the row, its pitch and its words) is skipped, and the
		// whole cut-out, scaled to the network's height, goes to the network. That is about a
		// tenth of a pass, and the network sees the same margins whatever the cut-out's size.
		for (auto* r : {&e->_impl->mrz, &e->_impl->mrzBest}) {
			r->api.SetPageSegMode(tesseract::PSM_RAW_LINE);
			r->api.SetVariable("tessedit_char_whitelist", kMrzAlphabet);
		}
		// Tesseract reads every line it is unsure of a second time, inverted (light on dark).
		// MRZs and the labels and dates of the cards read here are dark on light: that second
		// reading only costs time, most of it on the noise of portraits and security patterns.
		for (auto* r : {&e->_impl->mrz, &e->_impl->mrzBest, &e->_impl->text})
			r->api.SetVariable("tessedit_do_invert", "0");
		// One block: the rectified text of a card keeps its rows, its columns and the small field
		// numbers ("3.", "4b.") that automatic page segmentation drops as noise.
		e->_impl->text.api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
		// Keep the words apart as printed: a label and its value stay on one line.
		e->_impl->text.api.SetVariable("preserve_interword_spaces", "1");
		return e;
	} catch (...) {
		if (error)
			*error = why.empty() ? "cannot load the OCR models" : why;
		return nullptr;
	}
}

void Engine::scrub() noexcept
{
	// Tesseract keeps some state per step along a line between calls, and writes over only as many
	// steps as the next line has: the beam search's candidates (character codes) and the network's
	// activations. So each engine that read something since the last scrub reads one line of
	// neutral text longer than any line it read (a frame whose zone gave no "over" never used the
	// text engine, and a licence front never used the MRZ ones).
	char scratch[256];
	for (Recogniser* r : {&_impl->mrz, &_impl->mrzBest, &_impl->text}) {
		if (!r->dirty)
			continue;
		try {
			float ignored = 0;
			(void)Recognise(r->api, NeutralLine(r->span), scratch, ignored, [](char) { return false; });
			r->dirty = false;
			r->span = 0;
		} catch (...) {
			// Out of memory for the picture: it stays dirty, and the next scrub tries again.
		}
	}
	SecureZero(scratch, sizeof scratch);
}

std::size_t Engine::reads() const noexcept
{
	return _impl->reads;
}

std::size_t Engine::readMrzLine(const cv::Mat& line, std::span<char> out, MrzModel model) noexcept
{
	Recogniser& r = model == MrzModel::Best ? _impl->mrzBest : _impl->mrz;
	r.dirty = true;
	++_impl->reads;
	return Recognise(r.api, line, out, r.span, [](char c) {
		return (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '<';
	});
}

std::size_t Engine::readText(const cv::Mat& gray, std::span<char> out) noexcept
{
	_impl->text.dirty = true;
	++_impl->reads;
	return Recognise(_impl->text.api, gray, out, _impl->text.span, KeepText);
}

std::size_t Engine::readLines(const cv::Mat& gray, std::span<char> out, float maxSpan,
                              const std::function<bool(std::string_view)>& enough) noexcept
{
	Recogniser& r = _impl->text;
	r.dirty = true;
	++_impl->reads;
	if (out.empty())
		return 0;
	out[0] = '\0';
	if (gray.empty() || gray.type() != CV_8UC1 || gray.cols < 8 || gray.rows < 8)
		return 0;
	tesseract::TessBaseAPI& api = r.api;
	std::size_t n = 0;
	try {
		api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
		api.SetImage(gray.data, gray.cols, gray.rows, 1, int(gray.step[0]));
		api.SetSourceResolution(300);
		// The lines as the block reading finds them, top to bottom.
		std::vector<cv::Rect> lines;
		if (tesseract::PageIterator* it = api.AnalyseLayout()) {
			do {
				int left = 0, top = 0, right = 0, bottom = 0;
				if (it->BoundingBox(tesseract::RIL_TEXTLINE, &left, &top, &right, &bottom) && bottom > top && right > left)
					lines.emplace_back(left, top, right - left, bottom - top);
			} while (it->Next(tesseract::RIL_TEXTLINE));
			delete it;
		}
		// Each with a sixth of its height around it (the next line's descenders stay out), and at
		// most maxSpan heights long.
		api.SetPageSegMode(tesseract::PSM_SINGLE_LINE);
		const cv::Rect whole(0, 0, gray.cols, gray.rows);
		for (const cv::Rect& line : lines) {
			const int pad = std::max(1, line.height / 6);
			const int width = std::min(line.width, int(std::lround(double(maxSpan) * line.height)));
			const cv::Rect cut = cv::Rect(line.x - pad, line.y - pad, width + 2 * pad, line.height + 2 * pad) & whole;
			if (cut.width < 8 || cut.height < 8)
				continue;
			api.SetRectangle(cut.x, cut.y, cut.width, cut.height);
			n = TakeText(api, out, n, KeepText);
			if (n > 0 && out[n - 1] != '\n' && n + 1 < out.size())
				out[n++] = '\n';
			GrowSpan(api, r.span);
			if (enough({out.data(), n}) || n + 1 >= out.size())
				break;
		}
	} catch (...) {
		SecureZero(out.data(), n);
		n = 0;
	}
	api.SetPageSegMode(tesseract::PSM_SINGLE_BLOCK);
	api.Clear();
	if (n < out.size())
		out[n] = '\0';
	return n;
}

float Engine::longestLine() const noexcept
{
	return std::max({_impl->mrz.span, _impl->mrzBest.span, _impl->text.span});
}

} // namespace agecheck::ocr

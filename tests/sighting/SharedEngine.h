// SPDX-License-Identifier: Apache-2.0
#pragma once
// One OCR engine (the project's MRZ model and Debian's English) for a whole test binary: loading
// the models takes a while, and the Scanner tests share it (one thread).
#include <gtest/gtest.h>
#include <memory>
#include <string>

#include "ocr/Ocr.h"

namespace agecheck::testutil {

/// The test binary's engine, loaded on first use; a load failure fails the calling test.
inline std::shared_ptr<ocr::Engine> SharedEngine()
{
	static std::shared_ptr<ocr::Engine> engine = [] {
		std::string error;
		std::shared_ptr<ocr::Engine> e = ocr::Engine::Open(ocr::DefaultModels(), &error);
		EXPECT_TRUE(e) << error;
		return e;
	}();
	return engine;
}

} // namespace agecheck::testutil

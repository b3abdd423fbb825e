// SPDX-License-Identifier: Apache-2.0
#pragma once
// AGECHECK_ASAN is defined when AddressSanitizer instruments this translation unit (g++ or clang).

#if defined(__SANITIZE_ADDRESS__)
#define AGECHECK_ASAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AGECHECK_ASAN 1
#endif
#endif

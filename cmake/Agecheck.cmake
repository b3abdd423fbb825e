# SPDX-License-Identifier: Apache-2.0
# Helpers shared by every target of the project.

# Warnings every target of ours gets; -Werror when AGECHECK_WERROR is on (CI).
function(agecheck_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wno-sign-conversion)
  # g++ 12 warns falsely about std::string concatenation at -O2 and above (GCC bug 105329).
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU" AND CMAKE_CXX_COMPILER_VERSION VERSION_LESS 13)
    target_compile_options(${target} PRIVATE -Wno-restrict)
  endif()
  if(AGECHECK_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# agecheck_library(NAME src... [DEPS targets...]): a static library agecheck_NAME with the alias
# agecheck::NAME, whose public include root is src/ (so users write #include "aamva/Aamva.h").
function(agecheck_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  if(ARG_SOURCES)
    add_library(agecheck_${name} STATIC ${ARG_SOURCES})
    target_include_directories(agecheck_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(agecheck_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
    agecheck_warnings(agecheck_${name})
  else()
    add_library(agecheck_${name} INTERFACE)
    target_include_directories(agecheck_${name} INTERFACE ${PROJECT_SOURCE_DIR}/src)
    target_link_libraries(agecheck_${name} INTERFACE ${ARG_DEPS})
  endif()
  add_library(agecheck::${name} ALIAS agecheck_${name})
endfunction()

# agecheck_test(NAME src... DEPS targets... [LABELS labels...]): one gtest executable per module,
# discovered test by test so ctest reports each. Tests run from the project root so that the
# public corpus is reachable as ../shared/corpus, and with OMP_THREAD_LIMIT=1 as the project's
# binaries run (secure::PrepareEnvironment): Tesseract's OpenMP threads made OCR tests about 3
# times slower when ctest runs two at a time on two cores.
function(agecheck_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(test_${name} ${ARG_SOURCES})
  target_link_libraries(test_${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main)
  target_compile_definitions(test_${name} PRIVATE AGECHECK_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  agecheck_warnings(test_${name})
  include(GoogleTest)
  if(ARG_LABELS)
    # Extra labels (e.g. slow): one ctest entry for the whole executable, since the properties of
    # discovered tests cannot carry a list.
    add_test(NAME ${name} COMMAND test_${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR})
    set_tests_properties(${name} PROPERTIES LABELS "${name};${ARG_LABELS}" ENVIRONMENT OMP_THREAD_LIMIT=1)
  else()
    gtest_discover_tests(test_${name} WORKING_DIRECTORY ${PROJECT_SOURCE_DIR}
                         PROPERTIES LABELS ${name} ENVIRONMENT OMP_THREAD_LIMIT=1 DISCOVERY_TIMEOUT 60)
  endif()
endfunction()

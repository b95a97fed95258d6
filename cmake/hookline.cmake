# Helpers that give every hookline target the same flags.
set(HOOKLINE_WARNINGS -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Werror)

if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
  # g++ 12 at -O2 reports impossible memcpy overlaps inside std::string concatenation
  # (GCC bug 105651), e.g. in ctl/dlq; a false positive that would fail Release builds.
  list(APPEND HOOKLINE_WARNINGS -Wno-restrict)
endif()
if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
  # librdkafka's RD_KAFKA_V_* macros expand to GNU statement expressions in our code.
  list(APPEND HOOKLINE_WARNINGS -Wno-gnu-statement-expression)
endif()

function(hookline_flags target)
  target_compile_options(${target} PRIVATE ${HOOKLINE_WARNINGS})
  target_include_directories(${target} PUBLIC ${PROJECT_SOURCE_DIR})
  if(HOOKLINE_SANITIZE)
    target_compile_options(${target} PUBLIC -fsanitize=address,undefined -fno-omit-frame-pointer
                                            -fno-sanitize-recover=undefined)
    target_link_options(${target} PUBLIC -fsanitize=address,undefined)
    if(CMAKE_CXX_COMPILER_ID STREQUAL "Clang")
      # RapidJSON 1.1.0 adds an offset to a null pointer in internal/stack.h on every parse;
      # clang's UBSAN reports it (g++'s does not). Only that check is left out.
      target_compile_options(${target} PUBLIC -fno-sanitize=pointer-overflow)
    endif()
  endif()
  if(HOOKLINE_FUZZ)
    # Coverage for libFuzzer inside every library, not only the harness.
    target_compile_options(${target} PRIVATE -fsanitize=fuzzer-no-link)
  endif()
endfunction()

# hookline_library(name SOURCES a.cpp b.cpp DEPS other targets)
function(hookline_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_library(${name} STATIC ${ARG_SOURCES})
  hookline_flags(${name})
  target_link_libraries(${name} PUBLIC ${ARG_DEPS})
endfunction()

# hookline_executable(name SOURCES main.cpp DEPS libs)
function(hookline_executable name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  hookline_flags(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
endfunction()

# hookline_test(name SOURCES x_test.cpp DEPS libs [LABELS unit|integration])
# A Boost.Test executable registered with CTest.
function(hookline_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  hookline_flags(${name})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} Boost::unit_test_framework)
  target_compile_definitions(${name} PRIVATE BOOST_TEST_DYN_LINK
    HOOKLINE_SOURCE_DIR="${PROJECT_SOURCE_DIR}" HOOKLINE_BIN_DIR="${CMAKE_RUNTIME_OUTPUT_DIRECTORY}")
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/tests)
  add_test(NAME ${name} COMMAND ${name} --log_level=message)
  if(ARG_LABELS)
    set_tests_properties(${name} PROPERTIES LABELS "${ARG_LABELS}")
  endif()
endfunction()

# hookline_fuzzer(name SOURCES x_fuzz.cpp DEPS libs): a libFuzzer target (clang only, with
# HOOKLINE_FUZZ=ON; scripts/fuzz.sh builds and runs them). Lands in <build>/fuzz/.
function(hookline_fuzzer name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  hookline_flags(${name})
  target_compile_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_options(${name} PRIVATE -fsanitize=fuzzer)
  target_link_libraries(${name} PRIVATE ${ARG_DEPS})
  set_target_properties(${name} PROPERTIES RUNTIME_OUTPUT_DIRECTORY ${CMAKE_BINARY_DIR}/fuzz)
endfunction()

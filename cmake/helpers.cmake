# poles_warnings(target): the project's warning set, applied to our own targets only.
function(poles_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Woverloaded-virtual
    -Wimplicit-fallthrough -Wcast-qual -Wformat=2 -Wundef)
  if(CMAKE_CXX_COMPILER_ID STREQUAL "GNU")
    # GCC 12 reports false positives on std::variant/std::optional members at -O2
    # (GCC bug 105562 and relatives); the sanitizer builds catch real uninitialised reads.
    target_compile_options(${target} PRIVATE -Wno-maybe-uninitialized)
  endif()
  if(POLES_WERROR)
    target_compile_options(${target} PRIVATE -Werror)
  endif()
endfunction()

# poles_library(name SOURCES ... DEPS ...): one static library per component, alias poles::name.
function(poles_library name)
  cmake_parse_arguments(ARG "" "" "SOURCES;DEPS;PRIVATE_DEPS" ${ARGN})
  add_library(poles_${name} STATIC ${ARG_SOURCES})
  add_library(poles::${name} ALIAS poles_${name})
  set_property(GLOBAL APPEND PROPERTY POLES_LIBRARIES ${name})  # read by the layering check
  target_include_directories(poles_${name} PUBLIC ${PROJECT_SOURCE_DIR}/src)
  target_link_libraries(poles_${name} PUBLIC ${ARG_DEPS} PRIVATE ${ARG_PRIVATE_DEPS})
  poles_warnings(poles_${name})
endfunction()

# poles_test(name SOURCES ... DEPS ... [LABELS ...] [POSTGRES] [TIMEOUT s] [PROPERTIES k v ...]
#            [DEFINITIONS ...] [NEEDS target ...]):
# a GoogleTest executable registered with CTest, one CTest test per GoogleTest test.
function(poles_test name)
  cmake_parse_arguments(ARG "POSTGRES" "TIMEOUT" "SOURCES;DEPS;LABELS;PROPERTIES;DEFINITIONS;NEEDS" ${ARGN})
  if(POLES_SKIP_SLOW_TESTS AND "slow" IN_LIST ARG_LABELS)
    return()  # the sanitizer build does not run them (the asan test preset excludes `slow`)
  endif()
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE ${ARG_DEPS} GTest::gtest GTest::gtest_main GTest::gmock)
  target_compile_definitions(${name} PRIVATE
    POLES_SHARED_DIR="${POLES_SHARED_DIR}"
    POLES_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
    POLES_BINARY_DIR="${PROJECT_BINARY_DIR}" ${ARG_DEFINITIONS})
  if(ARG_NEEDS)
    add_dependencies(${name} ${ARG_NEEDS})  # targets run by the test (e.g. the poles command)
  endif()
  poles_warnings(${name})
  if(NOT ARG_TIMEOUT)
    set(ARG_TIMEOUT 600)
  endif()
  set(props TIMEOUT ${ARG_TIMEOUT})
  if(ARG_LABELS)
    list(APPEND props LABELS "${ARG_LABELS}")
  endif()
  if(ARG_POSTGRES)
    # Shares the PostgreSQL server of the `pg` fixture (tests/CMakeLists.txt).
    list(APPEND props FIXTURES_REQUIRED pg ENVIRONMENT "POLES_PG_SERVER_DIR=${PROJECT_BINARY_DIR}/pg-test-server")
  endif()
  list(APPEND props ${ARG_PROPERTIES})
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 PROPERTIES ${props})
endfunction()

# Every third-party dependency, found once. All come from Debian 12 packages
# (scripts/install-deps). Targets are imported so their headers are SYSTEM includes
# and never trip -Werror.
find_package(PkgConfig REQUIRED)
find_package(Threads REQUIRED)
find_package(fmt CONFIG REQUIRED)
find_package(spdlog CONFIG REQUIRED)
find_package(nlohmann_json CONFIG REQUIRED)
find_package(SQLiteCpp CONFIG REQUIRED)
find_package(CLI11 CONFIG REQUIRED)
find_package(tomlplusplus CONFIG REQUIRED)
find_package(Eigen3 CONFIG REQUIRED)
find_package(Boost 1.74 REQUIRED)
# igraph through pkg-config: Debian's CMake package file names the static link dependencies
# (libarpack.so, libglpk.so, libplfit.so) whose -dev packages the shared library does not need.
pkg_check_modules(IGRAPH REQUIRED IMPORTED_TARGET igraph)
find_package(ZLIB REQUIRED)
pkg_check_modules(PQXX REQUIRED IMPORTED_TARGET libpqxx)
pkg_check_modules(SODIUM REQUIRED IMPORTED_TARGET libsodium)
pkg_check_modules(XLSXWRITER REQUIRED IMPORTED_TARGET xlsxwriter)
# Reading XLSX: libzip opens the archive (with size and ratio checks), expat streams its XML.
pkg_check_modules(LIBZIP REQUIRED IMPORTED_TARGET libzip)
pkg_check_modules(EXPAT REQUIRED IMPORTED_TARGET expat)
# ICU: labels and names compared without case or accents (mapping dictionaries, identifiers).
pkg_check_modules(ICU REQUIRED IMPORTED_TARGET icu-uc icu-i18n)
pkg_check_modules(CBC REQUIRED IMPORTED_TARGET cbc)
pkg_check_modules(XXHASH REQUIRED IMPORTED_TARGET libxxhash)

find_library(CSV_LIBRARY NAMES csv REQUIRED)
find_path(CSV_INCLUDE_DIR NAMES csv.h REQUIRED)
add_library(poles_ext_csv INTERFACE)
target_link_libraries(poles_ext_csv INTERFACE ${CSV_LIBRARY})
target_include_directories(poles_ext_csv SYSTEM INTERFACE ${CSV_INCLUDE_DIR})

# zxcvbn-c: the password policy's strength estimate (app/accounts). Debian ships no pkg-config file.
find_library(ZXCVBN_LIBRARY NAMES zxcvbn REQUIRED)
find_path(ZXCVBN_INCLUDE_DIR NAMES zxcvbn.h REQUIRED)
add_library(poles_ext_zxcvbn INTERFACE)
target_link_libraries(poles_ext_zxcvbn INTERFACE ${ZXCVBN_LIBRARY})
target_include_directories(poles_ext_zxcvbn SYSTEM INTERFACE ${ZXCVBN_INCLUDE_DIR})

if(POLES_BUILD_TESTS)
  find_package(GTest CONFIG REQUIRED)
endif()
if(POLES_BUILD_BENCH)
  find_package(benchmark CONFIG REQUIRED)
endif()

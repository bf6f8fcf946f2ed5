# Generates a C++ source holding every migrations/NNNN_name.sql as a raw string literal.
# Invoked at build time: cmake -DSRC_DIR=… -DOUT=… -P embed_migrations.cmake
file(GLOB files "${SRC_DIR}/migrations/*.sql")
list(SORT files)
set(body "")
foreach(f IN LISTS files)
  get_filename_component(name "${f}" NAME_WE)
  string(SUBSTRING "${name}" 0 4 num)
  math(EXPR version "${num}")
  file(READ "${f}" sql)
  string(APPEND body "      {${version}, \"${name}\", R\"poles_sql(${sql})poles_sql\"},\n")
endforeach()
file(WRITE "${OUT}.tmp" "// Generated from src/store/migrations/*.sql. Do not edit.\n#include \"store/store.h\"\n\nnamespace poles::store {\n\nstd::vector<Migration> migrations() {\n  return {\n${body}  };\n}\n\n}  // namespace poles::store\n")
execute_process(COMMAND ${CMAKE_COMMAND} -E copy_if_different "${OUT}.tmp" "${OUT}")

# Third-party targets built from the pinned sources that scripts/bootstrap.sh fetched and checked.
# Nothing here is ours: no warnings flags, compiled as their authors intend (SQLite as C).

set(LINLI_SQLITE_DIR "${LINLI_DEPS_DIR}/sqlite-bsq-12.11.1")
set(LINLI_IMGUI_DIR "${LINLI_DEPS_DIR}/imgui-1.90.1")
if(NOT EXISTS "${LINLI_SQLITE_DIR}/sqlite3.c")
  message(FATAL_ERROR "SQLite amalgamation missing in ${LINLI_SQLITE_DIR}: run scripts/bootstrap.sh (make does)")
endif()

# SQLite: the same amalgamation natively and in the browser; thread-safe only natively.
add_library(linli_sqlite STATIC "${LINLI_SQLITE_DIR}/sqlite3.c")
target_include_directories(linli_sqlite SYSTEM PUBLIC "${LINLI_SQLITE_DIR}")
target_compile_definitions(linli_sqlite PRIVATE
  SQLITE_OMIT_LOAD_EXTENSION SQLITE_DEFAULT_MEMSTATUS=0 SQLITE_ENABLE_FTS5 SQLITE_ENABLE_CARRAY
  SQLITE_OMIT_DEPRECATED SQLITE_DQS=0 SQLITE_DEFAULT_FOREIGN_KEYS=1)
if(LINLI_WASM)
  target_compile_definitions(linli_sqlite PRIVATE SQLITE_THREADSAFE=0)
  target_compile_options(linli_sqlite PRIVATE -O2)
else()
  target_compile_definitions(linli_sqlite PRIVATE SQLITE_THREADSAFE=1)
  find_package(Threads REQUIRED)
  target_link_libraries(linli_sqlite PUBLIC Threads::Threads ${CMAKE_DL_LIBS})
endif()
set_target_properties(linli_sqlite PROPERTIES C_STANDARD 11 POSITION_INDEPENDENT_CODE ON)

# nlohmann/json: header only. Add its own folder, never /usr/include as a whole (the WASM sysroot).
add_library(linli_json INTERFACE)
target_include_directories(linli_json SYSTEM INTERFACE "${LINLI_DEPS_DIR}/include-json")
file(MAKE_DIRECTORY "${LINLI_DEPS_DIR}/include-json")
if(NOT EXISTS "${LINLI_DEPS_DIR}/include-json/nlohmann/json.hpp")
  file(COPY /usr/include/nlohmann DESTINATION "${LINLI_DEPS_DIR}/include-json")
endif()

if(LINLI_WASM)
  if(NOT EXISTS "${LINLI_IMGUI_DIR}/imgui.cpp")
    message(FATAL_ERROR "Dear ImGui missing in ${LINLI_IMGUI_DIR}: run scripts/bootstrap.sh (make does)")
  endif()
  add_library(linli_imgui STATIC
    "${LINLI_IMGUI_DIR}/imgui.cpp" "${LINLI_IMGUI_DIR}/imgui_draw.cpp"
    "${LINLI_IMGUI_DIR}/imgui_tables.cpp" "${LINLI_IMGUI_DIR}/imgui_widgets.cpp"
    "${LINLI_IMGUI_DIR}/misc/cpp/imgui_stdlib.cpp"
    "${LINLI_IMGUI_DIR}/backends/imgui_impl_glfw.cpp")  # The renderer is the app's own (app/platform/renderer.h).
  target_include_directories(linli_imgui SYSTEM PUBLIC "${LINLI_IMGUI_DIR}" "${LINLI_IMGUI_DIR}/backends"
                                                     "${LINLI_IMGUI_DIR}/misc/cpp")
  # The test hook (ImGuiTestEngineHook_ItemAdd) is how end-to-end tests find widgets by label.
  target_compile_definitions(linli_imgui PUBLIC IMGUI_ENABLE_TEST_ENGINE IMGUI_DISABLE_OBSOLETE_FUNCTIONS)
  target_compile_options(linli_imgui PRIVATE -O2)
endif()

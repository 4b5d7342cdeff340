# Build helpers shared by every folder.

find_program(CCACHE_PROGRAM ccache)
if(CCACHE_PROGRAM)
  set(CMAKE_C_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
  set(CMAKE_CXX_COMPILER_LAUNCHER "${CCACHE_PROGRAM}")
endif()

add_compile_options(-Wall -Wextra)
if(SLUICE_SANITIZE)
  add_compile_options(-fsanitize=${SLUICE_SANITIZE} -fno-omit-frame-pointer -fno-sanitize-recover=all)
  # GCC 12's flow analysis gives false maybe-uninitialized warnings on instrumented std code.
  add_compile_options(-Wno-maybe-uninitialized)
  add_link_options(-fsanitize=${SLUICE_SANITIZE})
endif()

# sluice_library(NAME folder-target SOURCES ... DEPS ...): one static library per folder.
# Headers are included by their path from the repository root ("runtime/common/log.h").
function(sluice_library name)
  cmake_parse_arguments(A "" "" "SOURCES;DEPS;PUBLIC_DEPS" ${ARGN})
  add_library(${name} STATIC ${A_SOURCES})
  target_include_directories(${name} PUBLIC ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE ${A_DEPS} PUBLIC ${A_PUBLIC_DEPS})
endfunction()

# sluice_plugin(NAME SOURCES ... DEPS ...): a loadable plugin .so that exports only
# sluice_plugin_entry, written to the build tree's plugin folder and installed with the others.
function(sluice_plugin name)
  cmake_parse_arguments(A "NO_INSTALL" "OUTPUT_DIR" "SOURCES;DEPS" ${ARGN})
  add_library(${name} MODULE ${A_SOURCES})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR})
  target_link_libraries(${name} PRIVATE sluice_plugin_api ${A_DEPS})
  set_target_properties(${name} PROPERTIES PREFIX "" CXX_VISIBILITY_PRESET hidden
                        VISIBILITY_INLINES_HIDDEN ON)
  if(A_OUTPUT_DIR)
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${A_OUTPUT_DIR})
  else()
    set_target_properties(${name} PROPERTIES LIBRARY_OUTPUT_DIRECTORY ${SLUICE_BUILD_PLUGIN_DIR})
  endif()
  if(NOT A_NO_INSTALL)
    install(TARGETS ${name} LIBRARY DESTINATION ${SLUICE_PLUGIN_INSTALL_DIR})
  endif()
endfunction()

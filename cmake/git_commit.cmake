# Run at build time (cmake -P), not at configure time, so a commit made after
# configuring shows in --version: writes OUTPUT, a C++ file defining
# zc::build_commit(), and rewrites it only when the commit or the dirty state
# changed, so an unchanged tree rebuilds nothing.
#   -DSOURCE_DIR=... -DOUTPUT=... [-DGIT_EXECUTABLE=...]
# The commit is "unknown" (the function returns "") when git is missing or
# SOURCE_DIR is not the top of a git work tree (a source tarball, even one
# unpacked inside some other repository).
set(commit "")
if(GIT_EXECUTABLE)
  execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} rev-parse --show-toplevel
                  OUTPUT_VARIABLE top OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE top_rc ERROR_QUIET)
  if(top_rc EQUAL 0)
    file(REAL_PATH "${top}" top)
    file(REAL_PATH "${SOURCE_DIR}" src)
  endif()
  if(top_rc EQUAL 0 AND top STREQUAL src)
    execute_process(COMMAND ${GIT_EXECUTABLE} -C ${SOURCE_DIR} rev-parse --short HEAD
                    OUTPUT_VARIABLE hash OUTPUT_STRIP_TRAILING_WHITESPACE RESULT_VARIABLE hash_rc ERROR_QUIET)
    # --no-optional-locks: a build must not write the index of the tree it
    # builds. Untracked files do not make a tree dirty (as git describe --dirty).
    execute_process(COMMAND ${GIT_EXECUTABLE} --no-optional-locks -C ${SOURCE_DIR} status --porcelain
                            --untracked-files=no
                    OUTPUT_VARIABLE changes RESULT_VARIABLE status_rc ERROR_QUIET)
    if(hash_rc EQUAL 0 AND status_rc EQUAL 0 AND hash MATCHES "^[0-9a-f]+$")
      set(commit "${hash}")
      if(NOT changes STREQUAL "")
        string(APPEND commit "-dirty")
      endif()
    endif()
  endif()
endif()

set(text "// Generated at build time by cmake/git_commit.cmake; do not edit.
#include \"core/build_info.hpp\"

namespace zc {

const char* build_commit() noexcept
{
    return \"${commit}\";
}

} // namespace zc
")
set(old "")
if(EXISTS ${OUTPUT})
  file(READ ${OUTPUT} old)
endif()
if(NOT old STREQUAL text)
  file(WRITE ${OUTPUT} "${text}")
endif()

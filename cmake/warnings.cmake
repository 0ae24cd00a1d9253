# Warnings as an INTERFACE target every target of ours links privately.
add_library(zc_warnings INTERFACE)
target_compile_options(zc_warnings INTERFACE
  -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor -Wold-style-cast
  -Wcast-align -Woverloaded-virtual -Wconversion -Wsign-conversion
  -Wno-sign-conversion -Wno-conversion -Wimplicit-fallthrough
  $<$<BOOL:${ZC_WERROR}>:-Werror>
  # GCC 12 at -O3 reports -Wrestrict on plain std::string concatenation
  # inside libstdc++ (GCC bug 105329, a false positive); clang does not.
  $<$<CXX_COMPILER_ID:GNU>:-Wno-restrict>)

if(ZC_SANITIZE)
  add_compile_options(-fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=undefined)
  add_link_options(-fsanitize=address,undefined)
endif()

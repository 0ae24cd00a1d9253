# Hardening for every optimised build, dynamic and static (Debian's
# dpkg-buildflags "hardening=+all" less PIE, which Debian's GCC makes by
# default for dynamic executables): _FORTIFY_SOURCE needs optimisation, so not
# for Debug; not with the sanitizers, which intercept the same functions.
#   -D_FORTIFY_SOURCE=2: checked variants (__memcpy_chk, __sprintf_chk, ...)
#   -fstack-protector-strong, -fstack-clash-protection, -fcf-protection
#   -Wl,-z,relro -Wl,-z,now: read-only GOT after start-up (lintian's
#   hardening-no-bindnow; a static executable has no PLT to bind, relro still
#   applies to its own relocations)
# tests/build/test_hardening.py checks the flags reach every compile and the
# checked functions and BIND_NOW reach the executables.
if(NOT ZC_SANITIZE)
  add_compile_options(
    "$<$<NOT:$<CONFIG:Debug>>:-U_FORTIFY_SOURCE;-D_FORTIFY_SOURCE=2>"
    -fstack-protector-strong -fstack-clash-protection
    "$<$<STREQUAL:${CMAKE_SYSTEM_PROCESSOR},x86_64>:-fcf-protection>")
  add_link_options(-Wl,-z,relro -Wl,-z,now)
endif()

# CPACK_PRE_BUILD_SCRIPTS: runs in cpack after the staging tree is installed,
# before the package is made. For the .deb only, adds what Debian wants and
# a tarball does not:
#   usr/share/doc/zcprobe/changelog.Debian.gz  cmake/debian-changelog, signed
#       by the package's maintainer (so the cpack -D override of
#       CPACK_DEBIAN_PACKAGE_MAINTAINER, which tests/build uses, reaches it)
#   usr/share/lintian/overrides/zcprobe  each with its reason:
#       initial-upload-closes-no-bugs (the package is not uploaded to Debian,
#       so no ITP bug exists), and for a static build (ZC_STATIC) only
#       statically-linked-binary (README "Install on a host": the static
#       tools are copied to hosts and busybox guests without shared libraries).
if(NOT CPACK_GENERATOR STREQUAL "DEB")
  return()
endif()
set(root "${CPACK_TEMPORARY_INSTALL_DIRECTORY}${CPACK_PACKAGING_INSTALL_PREFIX}")
set(doc "${root}/share/doc/${CPACK_PACKAGE_NAME}")
configure_file("${CPACK_ZC_SOURCE_DIR}/cmake/debian-changelog" "${doc}/changelog.Debian" @ONLY)
execute_process(COMMAND gzip -9nf "${doc}/changelog.Debian" RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "gzip of ${doc}/changelog.Debian failed")
endif()
file(CHMOD "${doc}/changelog.Debian.gz" PERMISSIONS OWNER_READ OWNER_WRITE GROUP_READ WORLD_READ)
# Each override with its reason (lintian shows the comment beside the tag).
# No semicolon in the text: CMake would read it as a list separator.
string(CONCAT text "# Not uploaded to Debian: there is no ITP bug for the first entry to close.\n"
                "${CPACK_PACKAGE_NAME}: initial-upload-closes-no-bugs\n")
if(CPACK_ZC_STATIC)
  foreach(tool zcprobe zcengine zcreport)
    string(APPEND text "# Static by design (ZC_STATIC): copied to hosts and busybox guests without shared\n"
                       "# libraries. A dynamic build (release preset) has no such override.\n"
                       "${CPACK_PACKAGE_NAME}: statically-linked-binary [usr/bin/${tool}]\n")
  endforeach()
endif()
file(MAKE_DIRECTORY "${root}/share/lintian/overrides")
file(WRITE "${root}/share/lintian/overrides/${CPACK_PACKAGE_NAME}" "${text}")

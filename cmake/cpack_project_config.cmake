# Read by cpack for each generator (CPACK_PROJECT_CONFIG_FILE).
if(CPACK_GENERATOR STREQUAL "DEB" AND "${CPACK_DEBIAN_PACKAGE_MAINTAINER}" STREQUAL "")
  message(FATAL_ERROR "a .deb needs a maintainer: configure with -DZC_PACKAGE_MAINTAINER='Name <email>' "
                      "(or set DEBFULLNAME and DEBEMAIL before configuring); see README \"Install on a host\"")
endif()

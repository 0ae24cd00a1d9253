# The .deb's Maintainer: ZC_PACKAGE_MAINTAINER ("Name <email>") when given at
# configure time, else Debian's own convention for who packages
# (DEBFULLNAME and DEBEMAIL, as dch uses them). There is no built-in default:
# the project has no maintainer address, and a made-up one would be a fake.
# Without one, `cpack -G DEB` stops with a line saying how to set it
# (cmake/cpack_project_config.cmake); the tarball does not need one.
# Sets zc_package_maintainer ("" when none).
set(ZC_PACKAGE_MAINTAINER "" CACHE STRING
    "Maintainer field of the .deb, 'Name <email>' (default: \$DEBFULLNAME <\$DEBEMAIL>)")
# A build directory configured before this rule holds the old placeholder.
if(ZC_PACKAGE_MAINTAINER STREQUAL "zcprobe maintainers <maintainers@users.noreply.r-seed-1e70fb4d.example>")
  set(ZC_PACKAGE_MAINTAINER "" CACHE STRING "" FORCE)
endif()
set(zc_package_maintainer "${ZC_PACKAGE_MAINTAINER}")
set(zc_maintainer_from "ZC_PACKAGE_MAINTAINER")
if(zc_package_maintainer STREQUAL "" AND NOT "$ENV{DEBEMAIL}" STREQUAL "")
  if("$ENV{DEBEMAIL}" MATCHES "<")
    set(zc_package_maintainer "$ENV{DEBEMAIL}")
  elseif(NOT "$ENV{DEBFULLNAME}" STREQUAL "")
    set(zc_package_maintainer "$ENV{DEBFULLNAME} <$ENV{DEBEMAIL}>")
  endif()
  set(zc_maintainer_from "DEBFULLNAME/DEBEMAIL")
endif()
if(NOT zc_package_maintainer STREQUAL "")
  # Debian policy 5.6.2: a name, then an address in angle brackets.
  if(NOT zc_package_maintainer MATCHES "^[^<>@]+ <[^<>@ ]+@[^<>@ ]+\\.[^<>@ ]+>$")
    message(FATAL_ERROR "${zc_maintainer_from} '${zc_package_maintainer}' is not 'Name <user@host.domain>'")
  endif()
  # Names reserved for documentation and testing (RFC 2606, RFC 6761) are
  # nobody's address.
  if(zc_package_maintainer MATCHES "[@.](example|invalid|test|localhost|localdomain)(\\.[a-z]+)?>$"
     OR zc_package_maintainer MATCHES "@example\\.(com|net|org)>$")
    message(FATAL_ERROR "${zc_maintainer_from} '${zc_package_maintainer}' uses a reserved domain, nobody's "
                        "address; give a real one")
  endif()
else()
  message(STATUS "No .deb maintainer (configure with -DZC_PACKAGE_MAINTAINER='Name <email>' or set "
                 "DEBFULLNAME and DEBEMAIL): cpack makes the tarball only")
endif()

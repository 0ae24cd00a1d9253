# Debian's packages: nlohmann-json3-dev, libcli11-dev, libnl-3-dev,
# libnl-route-3-dev, liburing-dev, doctest-dev. ci/setup installs them.
# Each component links only what it uses: libnl in traffic (netlink, namespaces), liburing
# in probe and engine, nlohmann/json in traffic, probe, engine and reports,
# CLI11 in apps.
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBNL REQUIRED libnl-3.0 libnl-route-3.0)
pkg_check_modules(LIBURING REQUIRED liburing)

add_library(zc_libnl INTERFACE)
target_include_directories(zc_libnl INTERFACE ${LIBNL_INCLUDE_DIRS})
add_library(zc_liburing INTERFACE)
target_include_directories(zc_liburing INTERFACE ${LIBURING_INCLUDE_DIRS})

# Every executable of ours links zc_executable.
add_library(zc_executable INTERFACE)
if(ZC_STATIC)
  # Fully static: the tools are copied to target hosts and into minimal VMs
  # (busybox initramfs) where no shared libraries exist.
  target_link_libraries(zc_libnl INTERFACE nl-route-3 nl-3 pthread m)
  target_link_libraries(zc_liburing INTERFACE uring)
  target_link_options(zc_executable INTERFACE -static)
  target_link_libraries(zc_executable INTERFACE pthread m)
else()
  target_link_libraries(zc_libnl INTERFACE ${LIBNL_LINK_LIBRARIES})
  target_link_libraries(zc_liburing INTERFACE ${LIBURING_LINK_LIBRARIES})
endif()

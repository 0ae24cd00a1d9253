# Debian's packages: nlohmann-json3-dev, libcli11-dev, libnl-3-dev,
# libnl-route-3-dev, liburing-dev, doctest-dev. ci/setup installs them.
find_package(nlohmann_json 3.10 REQUIRED)
find_package(CLI11 2.1 REQUIRED)
find_package(PkgConfig REQUIRED)
pkg_check_modules(LIBNL REQUIRED libnl-3.0 libnl-route-3.0)
pkg_check_modules(LIBURING REQUIRED liburing)

add_library(zc_deps INTERFACE)
target_include_directories(zc_deps INTERFACE ${LIBNL_INCLUDE_DIRS} ${LIBURING_INCLUDE_DIRS})
target_link_libraries(zc_deps INTERFACE nlohmann_json::nlohmann_json CLI11::CLI11)

if(ZC_STATIC)
  # Fully static: the tools are copied to target hosts and into minimal VMs
  # (busybox initramfs) where no shared libraries exist.
  target_link_libraries(zc_deps INTERFACE -static nl-route-3 nl-3 uring pthread m)
else()
  target_link_libraries(zc_deps INTERFACE ${LIBNL_LINK_LIBRARIES} ${LIBURING_LINK_LIBRARIES})
endif()

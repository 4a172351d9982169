# SPDX-License-Identifier: MIT
# CPack: one Debian package "cpd" (daemon, clients, guest programs, SDK).
# Depends come from dpkg-shlibdeps; the maintainer scripts create the user and
# directories and never enable or start a unit. Build it with
#   cmake -S . -B build -DCMAKE_INSTALL_PREFIX=/usr && cmake --build build
#   (cd build && cpack -G DEB)
if(NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    message(STATUS "cpd packaging: CMAKE_INSTALL_PREFIX is ${CMAKE_INSTALL_PREFIX}; "
                   "configure with -DCMAKE_INSTALL_PREFIX=/usr to build a .deb")
endif()

# A stripping install (cpack, install/strip) finishes the job as dh_strip
# does: drop the .comment section of programs, debug info of static libraries.
find_program(CPD_STRIP NAMES strip)
if(CPD_STRIP)
    set(strip_code [=[
if(CMAKE_INSTALL_DO_STRIP)
    set(root "$ENV{DESTDIR}${CMAKE_INSTALL_PREFIX}")
    file(GLOB programs "${root}/@CMAKE_INSTALL_SBINDIR@/cpd" "${root}/@CMAKE_INSTALL_BINDIR@/vmsend"
         "${root}/@CMAKE_INSTALL_BINDIR@/vmcp" "${root}/@CMAKE_INSTALL_BINDIR@/cmsconsole"
         "${root}/@CMAKE_INSTALL_BINDIR@/vmur"
         "${root}/@CPD_GUEST_INSTALL_DIR@/*")
    file(GLOB archives "${root}/@CMAKE_INSTALL_LIBDIR@/libcpd_*.a")
    foreach(f ${programs})
        execute_process(COMMAND "@CPD_STRIP@" --remove-section=.comment --remove-section=.note "${f}")
    endforeach()
    foreach(f ${archives})
        execute_process(COMMAND "@CPD_STRIP@" --strip-debug --enable-deterministic-archives "${f}")
    endforeach()
endif()
]=])
    string(CONFIGURE "${strip_code}" strip_code @ONLY)
    install(CODE "${strip_code}")
endif()

set(CPACK_GENERATOR "DEB")
set(CPACK_PACKAGE_NAME "cpd")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_VENDOR "The cpd authors")
set(CPACK_PACKAGE_CONTACT "cpd maintainers <cpd@example.org>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "VM/CMS Control Program emulation: guests as processes")
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")
set(CPACK_STRIP_FILES ON)
set(CPACK_SOURCE_IGNORE_FILES "/build[^/]*/;/\\\\.git/")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_RELEASE 1)
set(CPACK_DEBIAN_PACKAGE_SECTION "admin")
set(CPACK_DEBIAN_PACKAGE_PRIORITY "optional")
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
# Appended to what dpkg-shlibdeps finds. systemd-sysusers and systemd-tmpfiles
# (package systemd) create the user and directories; adduser is the fallback.
# libregina3 is named too, though dpkg-shlibdeps finds it through
# cpd-guest-cms: CMS runs every EXEC on it, so it must not silently drop out
# of the package if the guest program were ever built without it.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "systemd | adduser, libregina3")
# bash-completion loads the completion script on demand; without it, source
# the script from ~/.bashrc (cpd(8), FILES).
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "systemd, bash-completion")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "g++ (>= 4:12), libboost-dev, pkg-config, cmake")
# CPack puts the summary first; lines are kept as written (empty -> " .").
set(CPACK_DEBIAN_PACKAGE_DESCRIPTION
"cpd emulates the Control Program of IBM z/VM on Linux: each virtual
machine (guest) defined in a user directory runs as a process, and cpd
routes SMSG, IUCV and console traffic between guests over shared memory.

This package contains the cpd daemon with its systemd units, the client
tools vmsend, vmcp, vmur and cmsconsole, the built-in guest programs, and the
guest SDK (static libraries, C++20 headers, a CMake package and a
pkg-config file) for building your own guests.")

# Every file installed under /etc/cpd is a conffile (kept on upgrade and remove).
set(conffiles "")
foreach(f ${CPD_ETC_CONFFILES})
    string(APPEND conffiles "${CPD_CONFIG_DIR}/${f}\n")
endforeach()
file(CONFIGURE OUTPUT ${CMAKE_CURRENT_BINARY_DIR}/generated/conffiles CONTENT "${conffiles}")

set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
    ${CMAKE_CURRENT_BINARY_DIR}/generated/conffiles
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postinst
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/prerm
    ${CMAKE_CURRENT_SOURCE_DIR}/debian/postrm)

include(CPack)

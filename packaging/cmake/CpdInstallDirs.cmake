# SPDX-License-Identifier: MIT
# Where things go. The systemd, sysusers and tmpfiles directories come from
# pkg-config systemd when installing into /usr; any other prefix keeps them
# under that prefix so a test install never writes into the real /lib. Every
# result is a cache PATH so packagers can override it.
find_package(PkgConfig QUIET)

# cpd_system_dir(<var> <pkg-config variable> <relative fallback> <doc>)
function(cpd_system_dir var pcvar fallback doc)
    set(value "")
    if(CMAKE_INSTALL_PREFIX STREQUAL "/usr" AND PKG_CONFIG_FOUND)
        pkg_get_variable(value systemd ${pcvar})
    endif()
    if(NOT value)
        set(value "${CMAKE_INSTALL_PREFIX}/${fallback}")
    endif()
    set(${var} "${value}" CACHE PATH "${doc}")
endfunction()

cpd_system_dir(CPD_SYSTEMD_UNIT_DIR systemdsystemunitdir lib/systemd/system "systemd system unit directory")
cpd_system_dir(CPD_SYSUSERS_DIR sysusersdir lib/sysusers.d "sysusers.d directory")
cpd_system_dir(CPD_TMPFILES_DIR tmpfilesdir lib/tmpfiles.d "tmpfiles.d directory")
# udev rules: bookworm's udev.pc says /lib/udev (systemd.pc names no udev dir,
# and udev.pc is absent without package udev); any other prefix keeps them below it.
if(CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(CPD_UDEV_DIR "/lib/udev" CACHE PATH "udev directory (rules.d below it)")
else()
    set(CPD_UDEV_DIR "${CMAKE_INSTALL_PREFIX}/lib/udev" CACHE PATH "udev directory (rules.d below it)")
endif()

set(completions "")
if(PKG_CONFIG_FOUND)
    pkg_get_variable(completions bash-completion completionsdir)
endif()
if(NOT completions OR NOT CMAKE_INSTALL_PREFIX STREQUAL "/usr")
    set(completions "${CMAKE_INSTALL_DATADIR}/bash-completion/completions")
endif()
set(CPD_BASH_COMPLETION_DIR "${completions}" CACHE PATH "bash-completion completions directory")

# Fixed locations shared by the units, tmpfiles.d, cpd.conf and the man pages.
set(CPD_CONFIG_DIR "${CMAKE_INSTALL_FULL_SYSCONFDIR}/cpd")
set(CPD_RUN_DIR "/run/cpd")
set(CPD_STATE_DIR "${CMAKE_INSTALL_FULL_LOCALSTATEDIR}/lib/cpd")
set(CPD_GUEST_INSTALL_DIR "${CMAKE_INSTALL_LIBEXECDIR}/cpd")
set(CPD_FULL_GUEST_INSTALL_DIR "${CMAKE_INSTALL_FULL_LIBEXECDIR}/cpd")
set(CPD_DOC_DIR "${CMAKE_INSTALL_DATADIR}/doc/cpd")

# SPDX-License-Identifier: MIT
# Install rules for the programs: the daemon in sbin, the client tools in bin,
# and every executable defined under guest/programs/ in libexec/cpd, where
# cpd finds built-in guests by name (cpd-guest-<name>).
if(TARGET cpd)
    install(TARGETS cpd RUNTIME DESTINATION ${CMAKE_INSTALL_SBINDIR})
endif()
foreach(tool vmsend vmcp vmur cmsconsole)
    if(TARGET ${tool})
        install(TARGETS ${tool} RUNTIME DESTINATION ${CMAKE_INSTALL_BINDIR})
    endif()
endforeach()

# Guest programs: whatever executables the program directories define.
file(GLOB guest_program_dirs LIST_DIRECTORIES true ${CMAKE_SOURCE_DIR}/guest/programs/*)
set(CPD_INSTALLED_GUEST_PROGRAMS "")
foreach(dir ${guest_program_dirs})
    if(NOT EXISTS ${dir}/CMakeLists.txt)
        continue()
    endif()
    get_property(targets DIRECTORY ${dir} PROPERTY BUILDSYSTEM_TARGETS)
    foreach(t ${targets})
        get_target_property(type ${t} TYPE)
        if(type STREQUAL "EXECUTABLE")
            install(TARGETS ${t} RUNTIME DESTINATION ${CPD_GUEST_INSTALL_DIR})
            list(APPEND CPD_INSTALLED_GUEST_PROGRAMS ${t})
        endif()
    endforeach()
endforeach()
# The four named in the design, in case they are defined elsewhere.
foreach(t cpd-guest-echo cpd-guest-sink cpd-guest-flood cpd-guest-cms)
    if(TARGET ${t} AND NOT t IN_LIST CPD_INSTALLED_GUEST_PROGRAMS)
        install(TARGETS ${t} RUNTIME DESTINATION ${CPD_GUEST_INSTALL_DIR})
        list(APPEND CPD_INSTALLED_GUEST_PROGRAMS ${t})
    endif()
endforeach()

# Link the shipped programs with full RELRO and immediate binding, as
# Debian's default build flags do (lintian: hardening-no-bindnow, -relro).
set(CPD_HARDENED_LINK_OPTIONS "LINKER:-z,relro" "LINKER:-z,now")
foreach(t cpd vmsend vmcp vmur cmsconsole ${CPD_INSTALLED_GUEST_PROGRAMS})
    if(TARGET ${t})
        set_property(TARGET ${t} APPEND PROPERTY LINK_OPTIONS ${CPD_HARDENED_LINK_OPTIONS})
    endif()
endforeach()

# SPDX-License-Identifier: MIT
# Install rules for everything that is not compiled: systemd units (generated
# with the install paths), sysusers.d and tmpfiles.d, the /etc/cpd samples
# (conffiles in the package), man pages and bash completion (gzipped at build
# time, as Debian wants), and the package documentation.
set(gen ${CMAKE_CURRENT_BINARY_DIR}/generated)

# Units.
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/systemd/cpd.service.in ${gen}/cpd.service @ONLY)
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/systemd/cpd.socket.in ${gen}/cpd.socket @ONLY)
install(FILES ${gen}/cpd.service ${gen}/cpd.socket DESTINATION ${CPD_SYSTEMD_UNIT_DIR})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/sysusers.d/cpd.conf DESTINATION ${CPD_SYSUSERS_DIR})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/tmpfiles.d/cpd.conf DESTINATION ${CPD_TMPFILES_DIR})

# /etc/cpd: cpd.conf is the sample (packaging/sample/, owned by the directory
# format) with the installed paths filled in; etc/cpd.conf.in stands in while
# there is no sample. The sample user directory is installed as it is.
set(sample_conf ${CMAKE_CURRENT_SOURCE_DIR}/sample/cpd.conf)
if(EXISTS ${sample_conf})
    set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS ${sample_conf})
    file(READ ${sample_conf} conf)
    # cpd_conf_set(<key> <value>): replace the key's line, or append one.
    macro(cpd_conf_set key value)
        if(conf MATCHES "(^|\n)${key}[ \t]*=[^\n]*")
            string(REGEX REPLACE "(^|\n)${key}[ \t]*=[^\n]*" "\\1${key} = ${value}" conf "${conf}")
        else()
            string(APPEND conf "\n# Set for the installed system.\n${key} = ${value}\n")
        endif()
    endmacro()
    cpd_conf_set(state_dir ${CPD_STATE_DIR})
    cpd_conf_set(guest_dir ${CPD_FULL_GUEST_INSTALL_DIR})
    cpd_conf_set(socket ${CPD_RUN_DIR}/cpd.sock)
    cpd_conf_set(socket_mode 0660)
    cpd_conf_set(socket_group cpd)
    file(CONFIGURE OUTPUT ${gen}/cpd.conf CONTENT "${conf}" @ONLY)
else()
    configure_file(${CMAKE_CURRENT_SOURCE_DIR}/etc/cpd.conf.in ${gen}/cpd.conf @ONLY)
endif()
set(CPD_ETC_FILES ${gen}/cpd.conf)
if(EXISTS ${CMAKE_CURRENT_SOURCE_DIR}/sample/user.direct)
    list(APPEND CPD_ETC_FILES ${CMAKE_CURRENT_SOURCE_DIR}/sample/user.direct)
endif()
install(FILES ${CPD_ETC_FILES} DESTINATION ${CPD_CONFIG_DIR})

# Man pages, gzipped (-n: no name or time stamp, reproducible).
file(GLOB man_sources CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/man/*.[1-8])
set(man_outputs "")
foreach(src ${man_sources})
    get_filename_component(name ${src} NAME)
    string(REGEX REPLACE ".*\\.([1-8])$" "\\1" section ${name})
    set(out ${gen}/man/${name}.gz)
    add_custom_command(OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${gen}/man
        COMMAND sh -c "gzip -9nc \"$1\" > \"$2\"" gzip ${src} ${out}
        DEPENDS ${src} VERBATIM)
    list(APPEND man_outputs ${out})
    install(FILES ${out} DESTINATION ${CMAKE_INSTALL_MANDIR}/man${section})
endforeach()

# Debian changelog (version from project()), gzipped, next to the copyright file.
set(CPD_DEB_VERSION "${PROJECT_VERSION}-1")
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/debian/changelog.in ${gen}/changelog @ONLY)
set(changelog_gz ${gen}/changelog.Debian.gz)
add_custom_command(OUTPUT ${changelog_gz}
    COMMAND sh -c "gzip -9nc \"$1\" > \"$2\"" gzip ${gen}/changelog ${changelog_gz}
    DEPENDS ${gen}/changelog VERBATIM)
add_custom_target(cpd_packaging_data ALL DEPENDS ${man_outputs} ${changelog_gz})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/debian/copyright ${changelog_gz}
        DESTINATION ${CPD_DOC_DIR})

# Bash completion: one script, installed under each command's name so that
# bash-completion's on-demand loader finds it.
foreach(cmd cpd vmsend vmcp cmsconsole)
    install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/completion/cpd.bash
            DESTINATION ${CPD_BASH_COMPLETION_DIR} RENAME ${cmd})
endforeach()

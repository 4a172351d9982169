# SPDX-License-Identifier: MIT
# Install rules for everything that is not compiled: systemd units (generated
# with the install paths), sysusers.d and tmpfiles.d, the /etc/cpd files
# (conffiles in the package), man pages (gzipped at build time, as Debian
# wants), bash completion, and the documentation and examples.
set(gen ${CMAKE_CURRENT_BINARY_DIR}/generated)

# Units.
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/systemd/cpd.service.in ${gen}/cpd.service @ONLY)
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/systemd/cpd.socket.in ${gen}/cpd.socket @ONLY)
install(FILES ${gen}/cpd.service ${gen}/cpd.socket DESTINATION ${CPD_SYSTEMD_UNIT_DIR})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/sysusers.d/cpd.conf DESTINATION ${CPD_SYSUSERS_DIR})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/tmpfiles.d/cpd.conf DESTINATION ${CPD_TMPFILES_DIR})
# The CPU latency device to group cpd-latency, which only cpd.service adds.
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/udev/60-cpd-latency.rules
        DESTINATION ${CPD_UDEV_DIR}/rules.d)

# /etc/cpd: the production files of packaging/etc/ (conffiles in the
# package): cpd.conf with the installed paths filled in, a minimal user
# directory (OPERATOR as root, MAINT with an A-disk) and the first files of
# MAINT's new A-disk. CPD_ETC_CONFFILES lists them relative to /etc/cpd.
configure_file(${CMAKE_CURRENT_SOURCE_DIR}/etc/cpd.conf.in ${gen}/cpd.conf @ONLY)
install(FILES ${gen}/cpd.conf ${CMAKE_CURRENT_SOURCE_DIR}/etc/user.direct
        DESTINATION ${CPD_CONFIG_DIR})
set(CPD_ETC_CONFFILES cpd.conf user.direct)
file(GLOB_RECURSE etc_seed RELATIVE ${CMAKE_CURRENT_SOURCE_DIR}/etc CONFIGURE_DEPENDS
     ${CMAKE_CURRENT_SOURCE_DIR}/etc/disks/*)
foreach(f ${etc_seed})
    get_filename_component(dir ${f} DIRECTORY)
    install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/etc/${f} DESTINATION ${CPD_CONFIG_DIR}/${dir})
    list(APPEND CPD_ETC_CONFFILES ${f})
endforeach()

# /usr/share/doc/cpd: the README, the design notes, the directory format and
# the CMS reference (gzipped, as Debian wants documents over 4 KiB), and the
# examples as they are: the developer sample (cpd.conf, user.direct and the
# seed of MAINT's disk), the out-of-tree SDK example and the IUCV example.
set(doc_sources README.md:README.md docs/design.md:design.md docs/directory.md:directory.md
    guest/programs/cms/README.md:cms.md)
set(doc_outputs "")
foreach(pair ${doc_sources})
    string(REPLACE ":" ";" pair "${pair}")
    list(GET pair 0 src)
    list(GET pair 1 name)
    set(out ${gen}/doc/${name}.gz)
    add_custom_command(OUTPUT ${out}
        COMMAND ${CMAKE_COMMAND} -E make_directory ${gen}/doc
        COMMAND sh -c "gzip -9nc \"$1\" > \"$2\"" gzip ${PROJECT_SOURCE_DIR}/${src} ${out}
        DEPENDS ${PROJECT_SOURCE_DIR}/${src} VERBATIM)
    list(APPEND doc_outputs ${out})
endforeach()
install(FILES ${doc_outputs} DESTINATION ${CPD_DOC_DIR})
set(examples ${CPD_DOC_DIR}/examples)
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/sample/cpd.conf ${CMAKE_CURRENT_SOURCE_DIR}/sample/user.direct
        DESTINATION ${examples})
install(DIRECTORY ${CMAKE_CURRENT_SOURCE_DIR}/sample/disks DESTINATION ${examples})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/sdk-example/README.md
        ${CMAKE_CURRENT_SOURCE_DIR}/sdk-example/CMakeLists.txt
        ${CMAKE_CURRENT_SOURCE_DIR}/sdk-example/Makefile
        ${CMAKE_CURRENT_SOURCE_DIR}/sdk-example/hello.cpp
        DESTINATION ${examples}/sdk-example)
install(FILES ${PROJECT_SOURCE_DIR}/guest/examples/iucv-rr/README.md
        ${PROJECT_SOURCE_DIR}/guest/examples/iucv-rr/rr_protocol.hpp
        ${PROJECT_SOURCE_DIR}/guest/examples/iucv-rr/rr_server.cpp
        ${PROJECT_SOURCE_DIR}/guest/examples/iucv-rr/rr_client.cpp
        DESTINATION ${examples}/iucv-rr)

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
add_custom_target(cpd_packaging_data ALL DEPENDS ${man_outputs} ${changelog_gz} ${doc_outputs})
install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/debian/copyright ${changelog_gz}
        DESTINATION ${CPD_DOC_DIR})

# Bash completion: one script, installed under each command's name so that
# bash-completion's on-demand loader finds it.
foreach(cmd cpd vmsend vmcp vmur cmsconsole)
    install(FILES ${CMAKE_CURRENT_SOURCE_DIR}/completion/cpd.bash
            DESTINATION ${CPD_BASH_COMPLETION_DIR} RENAME ${cmd})
endforeach()

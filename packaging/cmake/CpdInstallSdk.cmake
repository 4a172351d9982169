# SPDX-License-Identifier: MIT
# The guest SDK: cpd_guest and the project libraries it links (found by
# walking its link interface, so a new internal dependency is exported too),
# the public headers, a CMake package "cpd-guest" with target cpd::guest, and
# a pkg-config file cpd-guest.pc. Consumers need C++20.
if(NOT TARGET cpd_guest)
    return()
endif()
include(CMakePackageConfigHelpers)

# cpd_link_closure(<out> <target>): project (non-imported) libraries reachable
# from <target> through LINK_LIBRARIES and INTERFACE_LINK_LIBRARIES.
function(cpd_link_closure out target)
    set(seen ${target})
    set(queue ${target})
    while(queue)
        list(POP_FRONT queue t)
        set(deps "")
        foreach(prop LINK_LIBRARIES INTERFACE_LINK_LIBRARIES)
            get_target_property(d ${t} ${prop})
            if(d)
                list(APPEND deps ${d})
            endif()
        endforeach()
        foreach(d ${deps})
            string(REGEX REPLACE "^\\$<LINK_ONLY:(.*)>$" "\\1" d "${d}")
            if(TARGET ${d} AND NOT d IN_LIST seen)
                get_target_property(imported ${d} IMPORTED)
                get_target_property(type ${d} TYPE)
                if(NOT imported AND type MATCHES "STATIC_LIBRARY|INTERFACE_LIBRARY")
                    list(APPEND seen ${d})
                    list(APPEND queue ${d})
                endif()
            endif()
        endforeach()
    endwhile()
    set(${out} ${seen} PARENT_SCOPE)
endfunction()

cpd_link_closure(CPD_SDK_LIBS cpd_guest)
set(CPD_SDK_PC_LIBS "")
foreach(lib ${CPD_SDK_LIBS})
    # cpd_guest -> cpd::guest, cpd_ipc -> cpd::ipc, cpd_proto -> cpd::proto
    string(REGEX REPLACE "^cpd_" "" short ${lib})
    set_target_properties(${lib} PROPERTIES EXPORT_NAME ${short})
    get_target_property(type ${lib} TYPE)
    if(type STREQUAL "STATIC_LIBRARY")
        string(APPEND CPD_SDK_PC_LIBS " -l${lib}")
    endif()
endforeach()

set(CPD_SDK_CMAKE_DIR ${CMAKE_INSTALL_LIBDIR}/cmake/cpd-guest)
install(TARGETS ${CPD_SDK_LIBS} EXPORT cpd-guest-targets
        ARCHIVE DESTINATION ${CMAKE_INSTALL_LIBDIR}
        INCLUDES DESTINATION ${CMAKE_INSTALL_INCLUDEDIR})
install(EXPORT cpd-guest-targets NAMESPACE cpd:: DESTINATION ${CPD_SDK_CMAKE_DIR})
foreach(inc guest/include libipc/include proto/include)
    install(DIRECTORY ${CMAKE_SOURCE_DIR}/${inc}/ DESTINATION ${CMAKE_INSTALL_INCLUDEDIR}
            FILES_MATCHING PATTERN "*.hpp")
endforeach()

configure_package_config_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/cpd-guest-config.cmake.in
    ${CMAKE_CURRENT_BINARY_DIR}/cpd-guest-config.cmake
    INSTALL_DESTINATION ${CPD_SDK_CMAKE_DIR})
write_basic_package_version_file(${CMAKE_CURRENT_BINARY_DIR}/cpd-guest-config-version.cmake
    VERSION ${PROJECT_VERSION} COMPATIBILITY SameMinorVersion)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cpd-guest-config.cmake
              ${CMAKE_CURRENT_BINARY_DIR}/cpd-guest-config-version.cmake
        DESTINATION ${CPD_SDK_CMAKE_DIR})

configure_file(${CMAKE_CURRENT_SOURCE_DIR}/cmake/cpd-guest.pc.in
               ${CMAKE_CURRENT_BINARY_DIR}/cpd-guest.pc @ONLY)
install(FILES ${CMAKE_CURRENT_BINARY_DIR}/cpd-guest.pc
        DESTINATION ${CMAKE_INSTALL_LIBDIR}/pkgconfig)

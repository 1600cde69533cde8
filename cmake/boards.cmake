# boards.cmake - the device-tree side of the build: libfdt for the library,
# dtc for the boards (boards/*.dts -> ${PROJECT_BINARY_DIR}/boards/*.dtb,
# installed to ${CMAKE_INSTALL_DATADIR}/dmaengine/boards), and the default
# board embedded in the library. Included once dmaengine_objs, dmaengine and
# dmaengine_static exist.

# libfdt (Debian libfdt-dev ships no .pc file): linked privately.
find_path(FDT_INCLUDE_DIR libfdt.h)
find_library(FDT_LIBRARY fdt)
if(NOT FDT_INCLUDE_DIR OR NOT FDT_LIBRARY)
  message(FATAL_ERROR "libfdt not found: install libfdt-dev (scripts/deps.sh does)")
endif()
find_program(DMAE_DTC dtc)
if(NOT DMAE_DTC)
  message(FATAL_ERROR "dtc not found: install device-tree-compiler (scripts/deps.sh does)")
endif()

# dmae_dtc(DTS DTB [FLAGS flag...] [DEPENDS file...]): compile DTS into DTB at
# build time; any dtc warning fails the build (cmake/dtc.cmake). DEPENDS names
# the files DTS includes.
function(dmae_dtc dts dtb)
  cmake_parse_arguments(D "" "" "FLAGS;DEPENDS" ${ARGN})
  string(REPLACE ";" "|" flags "${D_FLAGS}")
  get_filename_component(name "${dtb}" NAME)
  add_custom_command(OUTPUT "${dtb}"
    COMMAND ${CMAKE_COMMAND} -DDTC=${DMAE_DTC} -DIN=${dts} -DOUT=${dtb} -DFLAGS=${flags}
            -P ${PROJECT_SOURCE_DIR}/cmake/dtc.cmake
    DEPENDS "${dts}" ${D_DEPENDS} ${PROJECT_SOURCE_DIR}/cmake/dtc.cmake
    COMMENT "dtc ${name}" VERBATIM)
endfunction()

set(DMAE_BOARDS_BUILD_DIR ${PROJECT_BINARY_DIR}/boards)
set(DMAE_BOARDS_INSTALL_DIR ${CMAKE_INSTALL_FULL_DATADIR}/dmaengine/boards)
file(MAKE_DIRECTORY ${DMAE_BOARDS_BUILD_DIR})
file(GLOB DMAE_BOARD_SOURCES CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/boards/*.dts)
set(DMAE_BOARD_BLOBS)
foreach(dts ${DMAE_BOARD_SOURCES})
  get_filename_component(name ${dts} NAME_WE)
  dmae_dtc(${dts} ${DMAE_BOARDS_BUILD_DIR}/${name}.dtb)
  list(APPEND DMAE_BOARD_BLOBS ${DMAE_BOARDS_BUILD_DIR}/${name}.dtb)
endforeach()
add_custom_target(dmae_boards ALL DEPENDS ${DMAE_BOARD_BLOBS})
install(FILES ${DMAE_BOARD_BLOBS} DESTINATION ${CMAKE_INSTALL_DATADIR}/dmaengine/boards)

# The default board, built into the library as dmae__board_default_dtb.
set(DMAE_DEFAULT_DTB_C ${DMAE_BOARDS_BUILD_DIR}/default-dtb.c)
add_custom_command(OUTPUT ${DMAE_DEFAULT_DTB_C}
  COMMAND ${CMAKE_COMMAND} -DIN=${DMAE_BOARDS_BUILD_DIR}/default.dtb -DOUT=${DMAE_DEFAULT_DTB_C}
          -DNAME=dmae__board_default_dtb -P ${PROJECT_SOURCE_DIR}/cmake/embed-dtb.cmake
  DEPENDS ${DMAE_BOARDS_BUILD_DIR}/default.dtb ${PROJECT_SOURCE_DIR}/cmake/embed-dtb.cmake
  COMMENT "embed default.dtb" VERBATIM)

target_sources(dmaengine_objs PRIVATE ${DMAE_DEFAULT_DTB_C})
target_include_directories(dmaengine_objs PRIVATE ${FDT_INCLUDE_DIR})
target_compile_definitions(dmaengine_objs PRIVATE
  DMAE_BOARDS_BUILD_DIR="${DMAE_BOARDS_BUILD_DIR}"
  DMAE_BOARDS_INSTALL_DIR="${DMAE_BOARDS_INSTALL_DIR}")
add_dependencies(dmaengine_objs dmae_boards)
target_link_libraries(dmaengine PRIVATE ${FDT_LIBRARY})
target_link_libraries(dmaengine_static PUBLIC ${FDT_LIBRARY})

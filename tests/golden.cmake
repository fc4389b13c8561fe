# Golden tests of page segmentation: tests/golden/pages/<name>.txt is a raw
# page written for the test, <name>.expected what page_dump prints for it.
# page_dump is also the debugging tool: page_dump --debug FILE traces every
# element decision as notes on stderr.
add_executable(page_dump ${CMAKE_CURRENT_SOURCE_DIR}/golden/page_dump.c)
# Linked with only what segmentation calls (page, text, record, util), so
# the tool builds while a later stage (meta) is being rewritten.
foreach(s IN ITEMS page text record util)
  target_link_libraries(page_dump PRIVATE np_${s})
endforeach()

file(GLOB golden_pages CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/golden/pages/*.txt)
foreach(page IN LISTS golden_pages)
  get_filename_component(name ${page} NAME_WE)
  string(REGEX REPLACE "\\.txt$" ".expected" expected ${page})
  add_test(NAME golden/page/${name}
    COMMAND ${CMAKE_COMMAND} -DDUMP=$<TARGET_FILE:page_dump> -DIN=${page}
            -DEXPECTED=${expected} -DOUT=${CMAKE_CURRENT_BINARY_DIR}/golden_${name}.got
            -P ${CMAKE_CURRENT_SOURCE_DIR}/golden/compare.cmake)
  set_tests_properties(golden/page/${name} PROPERTIES
    ENVIRONMENT "LC_ALL=C.UTF-8;TZ=UTC" LABELS golden)
endforeach()

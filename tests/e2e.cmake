# End-to-end tests: the newsprint binary on copies of the sample site.
find_program(BASH bash REQUIRED)
find_package(Python3 COMPONENTS Interpreter REQUIRED)
file(GLOB e2e_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/e2e/*.sh)
foreach(script IN LISTS e2e_scripts)
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME e2e/${name} COMMAND ${BASH} ${script})
  set_tests_properties(e2e/${name} PROPERTIES
    ENVIRONMENT "NEWSPRINT=$<TARGET_FILE:newsprint>;NP_SOURCE_DIR=${PROJECT_SOURCE_DIR};PYTHON=${Python3_EXECUTABLE};LC_ALL=C.UTF-8;TZ=UTC"
    LABELS e2e TIMEOUT 600)
endforeach()

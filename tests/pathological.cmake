# tests/pathological/<stage>_<topic>.c: huge or adversarial inputs that must
# stay linear.  Each is a program linked like a unit test of its stage; the
# limits are generous timeouts, never timing assertions.
file(GLOB patho_tests CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/pathological/*.c)
foreach(src IN LISTS patho_tests)
  get_filename_component(name ${src} NAME_WE)
  string(REGEX REPLACE "^([a-z]+).*" "\\1" stage ${name})
  add_executable(patho_${name} ${src})
  np_link_stages(patho_${name} ${stage})
  target_link_libraries(patho_${name} PRIVATE PkgConfig::CMOCKA)
  target_compile_definitions(patho_${name} PRIVATE
    NP_SOURCE_DIR="${PROJECT_SOURCE_DIR}" NP_BINARY_DIR="${PROJECT_BINARY_DIR}")
  add_test(NAME pathological/${name} COMMAND patho_${name})
  set_tests_properties(pathological/${name} PROPERTIES
    ENVIRONMENT "LC_ALL=C.UTF-8;TZ=UTC" LABELS pathological TIMEOUT 600)
endforeach()

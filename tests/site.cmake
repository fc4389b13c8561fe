# Site-level tests: the built sample archive (links, reachability, HTML
# validity, feeds and sitemap, escaping, a headless browser).  Each script
# builds its own copy of the sample site in a temp folder.
find_program(BASH bash REQUIRED)
find_package(Python3 COMPONENTS Interpreter REQUIRED)
find_program(TIDY tidy)
find_program(CHROMIUM NAMES chromium chromium-browser)
file(GLOB site_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/site/*.sh)
foreach(script IN LISTS site_scripts)
  get_filename_component(name ${script} NAME_WE)
  add_test(NAME site/${name} COMMAND ${BASH} ${script})
  set_tests_properties(site/${name} PROPERTIES
    ENVIRONMENT "NEWSPRINT=$<TARGET_FILE:newsprint>;NP_SOURCE_DIR=${PROJECT_SOURCE_DIR};PYTHON=${Python3_EXECUTABLE};TIDY=${TIDY};CHROMIUM=${CHROMIUM};LC_ALL=C.UTF-8;TZ=UTC"
    LABELS site TIMEOUT 300)
endforeach()

# newsprint serve on 127.0.0.1, driven from Python: tests/serve/serve_http.py
# (HTTP answers, refusals, rebuild on edit, clean stop) and
# tests/serve/serve_browser.py (the build-error overlay in headless Chromium;
# fails without Chromium: ./dev.sh installs it).  Each starts the server on a free
# port and stops it with SIGINT.  Only when libmicrohttpd was found.
if(MHD_FOUND)
  find_package(Python3 COMPONENTS Interpreter REQUIRED)
  find_program(NP_SERVE_CHROMIUM NAMES chromium chromium-browser)
  file(GLOB serve_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/serve/*.py)
  foreach(script IN LISTS serve_scripts)
    get_filename_component(name ${script} NAME_WE)
    add_test(NAME serve/${name} COMMAND ${Python3_EXECUTABLE} ${script})
    set_tests_properties(serve/${name} PROPERTIES
      ENVIRONMENT "NEWSPRINT=$<TARGET_FILE:newsprint>;NP_SOURCE_DIR=${PROJECT_SOURCE_DIR};CHROMIUM=${NP_SERVE_CHROMIUM};LC_ALL=C.UTF-8;TZ=UTC"
      LABELS serve TIMEOUT 600)
  endforeach()
endif()

# newsprint serve: the HTTP server on 127.0.0.1, driven from Python
# (tests/serve/*.py; each starts the server on a free port and stops it with
# SIGINT).  Only when libmicrohttpd was found.
if(MHD_FOUND)
  find_package(Python3 COMPONENTS Interpreter REQUIRED)
  file(GLOB serve_scripts CONFIGURE_DEPENDS ${CMAKE_CURRENT_SOURCE_DIR}/serve/*.py)
  foreach(script IN LISTS serve_scripts)
    get_filename_component(name ${script} NAME_WE)
    add_test(NAME serve/${name} COMMAND ${Python3_EXECUTABLE} ${script})
    set_tests_properties(serve/${name} PROPERTIES
      ENVIRONMENT "NEWSPRINT=$<TARGET_FILE:newsprint>;NP_SOURCE_DIR=${PROJECT_SOURCE_DIR};LC_ALL=C.UTF-8;TZ=UTC"
      LABELS serve TIMEOUT 600)
  endforeach()
endif()

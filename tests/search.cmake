# Search: the index in a real browser.  tests/search/browser.py builds the
# sample site, serves it on 127.0.0.1 and drives headless Chromium; it exits
# 77 (skipped) when /usr/bin/chromium is missing.
find_package(Python3 COMPONENTS Interpreter REQUIRED)
add_test(NAME search/browser COMMAND ${Python3_EXECUTABLE}
         ${CMAKE_CURRENT_SOURCE_DIR}/search/browser.py)
set_tests_properties(search/browser PROPERTIES
  ENVIRONMENT "NEWSPRINT=$<TARGET_FILE:newsprint>;NP_SOURCE_DIR=${PROJECT_SOURCE_DIR};LC_ALL=C.UTF-8;TZ=UTC"
  LABELS "search;browser" SKIP_RETURN_CODE 77 TIMEOUT 600)

# Search: the index end to end.  tests/search/browser.py builds the sample
# site, serves it on 127.0.0.1 and drives headless Chromium (a missing
# /usr/bin/chromium fails it: ./dev.sh installs it); tests/search/incremental.py
# rebuilds it unchanged, with one more issue and on one thread.
# (tests/search/pagefind_compare.py is run by hand: it needs npm.)
find_package(Python3 COMPONENTS Interpreter REQUIRED)
foreach(name browser incremental)
  add_test(NAME search/${name} COMMAND ${Python3_EXECUTABLE}
           ${CMAKE_CURRENT_SOURCE_DIR}/search/${name}.py)
  set_tests_properties(search/${name} PROPERTIES
    ENVIRONMENT "NEWSPRINT=$<TARGET_FILE:newsprint>;NP_SOURCE_DIR=${PROJECT_SOURCE_DIR};LC_ALL=C.UTF-8;TZ=UTC"
    LABELS search TIMEOUT 600)
endforeach()

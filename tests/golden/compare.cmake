# cmake -DDUMP=page_dump -DIN=x.txt -DEXPECTED=x.expected -P compare.cmake
execute_process(COMMAND ${DUMP} ${IN} OUTPUT_VARIABLE got RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "page_dump failed (${rc}) on ${IN}")
endif()
file(READ ${EXPECTED} want)
if(NOT got STREQUAL want)
  file(WRITE ${OUT} "${got}")
  message(FATAL_ERROR "${IN}: output differs from ${EXPECTED}; got ${OUT}\n"
                      "diff: diff -u ${EXPECTED} ${OUT}")
endif()

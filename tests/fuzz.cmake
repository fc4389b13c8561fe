# Fuzz seed corpora as plain tests: each fuzz/fuzz_<name>.c is linked with
# fuzz/replay.c (a main() that calls LLVMFuzzerTestOneInput on every file)
# in the normal build and replays fuzz/corpus/fuzz_<name>/ under a CPU-time
# and memory limit.  Inputs the fuzzers found are kept there as seeds, so
# what was fixed stays fixed.  fuzz/known/fuzz_<name>/ holds inputs that
# still fail (see fuzz/known/README.md); they run as fuzz/<name>_known and
# fail until the bug is fixed.
set(NP_FUZZ_DIR ${PROJECT_SOURCE_DIR}/fuzz)
file(GLOB fuzz_targets CONFIGURE_DEPENDS ${NP_FUZZ_DIR}/fuzz_*.c)
foreach(src IN LISTS fuzz_targets)
  get_filename_component(name ${src} NAME_WE)
  add_executable(${name}_replay ${src} ${NP_FUZZ_DIR}/common.c ${NP_FUZZ_DIR}/replay.c)
  target_include_directories(${name}_replay PRIVATE ${NP_FUZZ_DIR})
  target_link_libraries(${name}_replay PRIVATE newsprint_core)
  add_test(NAME fuzz/${name}
           COMMAND ${name}_replay --cpu-seconds 120 --limit-mb 2048 ${NP_FUZZ_DIR}/corpus/${name})
  set_tests_properties(fuzz/${name} PROPERTIES
    ENVIRONMENT "LC_ALL=C.UTF-8;TZ=UTC" LABELS fuzz TIMEOUT 600)
  file(GLOB known CONFIGURE_DEPENDS ${NP_FUZZ_DIR}/known/${name}/*)
  foreach(input IN LISTS known)
    get_filename_component(file ${input} NAME)
    add_test(NAME fuzz/known/${name}/${file}
             COMMAND ${name}_replay --cpu-seconds 20 --limit-mb 512 ${input})
    set_tests_properties(fuzz/known/${name}/${file} PROPERTIES
      ENVIRONMENT "LC_ALL=C.UTF-8;TZ=UTC" LABELS "fuzz;known" TIMEOUT 300)
  endforeach()
endforeach()

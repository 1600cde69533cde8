# dtc.cmake - compile one device-tree source with dtc, as a build step:
#   cmake -DDTC=<dtc> -DIN=<x.dts> -DOUT=<x.dtb> [-DFLAGS=<flag|flag...>] -P dtc.cmake
# dtc only warns about most mistakes and still writes a blob; here any line
# it prints fails the step (and removes the blob), so every tree the build
# makes is one dtc has nothing to say about. A fixture that is malformed on
# purpose turns the check it trips off with -Wno-<check> in FLAGS.
string(REPLACE "|" ";" flags "${FLAGS}")
execute_process(
  COMMAND "${DTC}" -I dts -O dtb ${flags} -o "${OUT}" "${IN}"
  RESULT_VARIABLE rc
  OUTPUT_VARIABLE out
  ERROR_VARIABLE err)
if(NOT rc EQUAL 0 OR NOT "${out}${err}" STREQUAL "")
  file(REMOVE "${OUT}")
  message(FATAL_ERROR "dtc ${IN} (exit ${rc}):\n${out}${err}")
endif()

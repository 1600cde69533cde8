# embed-dtb.cmake - write a compiled tree as a C array, for the library to
# carry a board without a file (no xxd needed):
#   cmake -DIN=<x.dtb> -DOUT=<x.c> -DNAME=<symbol> -P embed-dtb.cmake
# defines const unsigned char <symbol>[] and const size_t <symbol>_size.
file(READ "${IN}" hex HEX)
string(LENGTH "${hex}" digits)
math(EXPR size "${digits} / 2")
set(lines "")
set(pos 0)
while(pos LESS digits)
  # Twelve bytes (24 hex digits) a line.
  string(SUBSTRING "${hex}" ${pos} 24 chunk)
  string(REGEX REPLACE "([0-9a-f][0-9a-f])" "0x\\1," chunk "${chunk}")
  string(APPEND lines "\t${chunk}\n")
  math(EXPR pos "${pos} + 24")
endwhile()
get_filename_component(src "${IN}" NAME)
file(WRITE "${OUT}"
  "/* Generated from ${src} by cmake/embed-dtb.cmake: do not edit. */\n"
  "#include \"platform/boards.h\"\n\n"
  "const unsigned char ${NAME}[] __attribute__((aligned(8))) = {\n${lines}};\n"
  "const size_t ${NAME}_size = ${size};\n")

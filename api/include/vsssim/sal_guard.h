// The standard headers whose libstdc++ implementation uses `__in` or `__out` as identifiers,
// parsed before <windows.h> defines those old SAL annotations as empty macros (see there). Each
// one is listed for the libstdc++ 12 file that uses the names; the list is checked by the
// sal-include-order test, which includes every standard header after <windows.h>.
#pragma once

#include <algorithm>  // bits/stl_algo.h, bits/ranges_algo.h, bits/ranges_algobase.h
#include <fstream>    // istream, ostream
#include <iostream>   // istream, ostream, bits/ostream.tcc
#include <locale>     // bits/locale_facets.h, bits/locale_conv.h
#include <memory>     // bits/stl_uninitialized.h, bits/ranges_uninitialized.h
#include <regex>      // bits/regex.h, bits/regex.tcc
#include <sstream>    // istream, ostream
#include <string>     // bits/basic_string.h, bits/basic_string.tcc, bits/ostream_insert.h
#include <thread>     // bits/std_thread.h
#include <tuple>      // tuple
#include <utility>    // bits/stl_pair.h
#include <vector>     // bits/stl_uninitialized.h

// Compiled by build/TorchSharpNativeFix.targets into libcrlm_glibcxx_shim.so, only on systems whose
// libstdc++ predates GCC 13 (no GLIBCXX_3.4.32), e.g. Debian 12.
//
// Why: GCC 13 makes every translation unit that includes <iostream> call
// std::ios_base_library_init() (exported by libstdc++ 13 as GLIBCXX_3.4.32) instead of holding its
// own static ios_base::Init. libLibTorchSharp.so was built with GCC 13, so it needs that one
// function. Defining it here, on top of the system libstdc++, does exactly what libstdc++ 13 does:
// make sure the standard streams are constructed before they are used. The patched
// libLibTorchSharp.so lists this library as DT_NEEDED and finds it next to itself ($ORIGIN).
#include <ios>

namespace std
{
    void ios_base_library_init()
    {
        static ios_base::Init init;
    }
}

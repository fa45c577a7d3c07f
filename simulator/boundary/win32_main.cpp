// A program may define wmain instead of main, as a Windows console program does. This main is weak,
// so a program's own main always wins, and wmain is weak, so programs without one still link; the
// arguments are converted with the environment's locale, which stays in force for wide output.
#include <windows.h>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <cwchar>
#include <string>
#include <vector>

extern "C" int wmain(int argc, wchar_t **argv) __attribute__((weak));

namespace {

std::wstring widen(const char *s)
{
    std::wstring out;
    std::mbstate_t state{};
    const char *end = s + std::strlen(s);
    while (s < end) {
        wchar_t w = 0;
        const std::size_t used = std::mbrtowc(&w, s, static_cast<std::size_t>(end - s), &state);
        if (used == static_cast<std::size_t>(-1) || used == static_cast<std::size_t>(-2)) {
            // A byte that is not text in this locale keeps its value, as Latin-1: nothing is lost.
            out += static_cast<wchar_t>(static_cast<unsigned char>(*s++));
            state = {};
            continue;
        }
        out += w;
        s += used;
    }
    return out;
}

} // namespace

// Exported: the program that defines only wmain takes this main from the shared library.
extern "C" VSSSIM_API __attribute__((weak)) int main(int argc, char **argv)
{
    if (!wmain) {
        std::fputs("vsssim: this program defines neither main nor wmain\n", stderr);
        return 127;
    }
    std::setlocale(LC_CTYPE, "");
    std::vector<std::wstring> args;
    args.reserve(static_cast<std::size_t>(argc));
    for (int i = 0; i < argc; ++i)
        args.push_back(widen(argv[i]));
    std::vector<wchar_t *> wideArgv;
    for (std::wstring &a : args)
        wideArgv.push_back(a.data());
    wideArgv.push_back(nullptr);   // argv[argc] is NULL, as the C standard promises for main
    return wmain(argc, wideArgv.data());
}

// tests/public_api.cpp: linked with vsssim_dep only, so it stops compiling when a private header leaks.
#include <windows.h>
#include <vss.h>
#include <vswriter.h>
#include <vsbackup.h>
#include <vsssim/vsssim.h>
#ifdef VSSSIM_PRIVATE
#error "VSSSIM_PRIVATE leaked into the public dependency"
#endif
int main() { return vsssim::version() ? 0 : 1; }

// Included first by every header under simulator/: those headers are not part of the public API.
#pragma once
#ifndef VSSSIM_PRIVATE
#error "simulator/ headers are private; include <vss.h>, <vsbackup.h>, <vswriter.h> or <vsssim/vsssim.h>"
#endif

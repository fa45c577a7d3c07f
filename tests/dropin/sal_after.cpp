// Old SAL with the standard headers included after <windows.h>, as a precompiled header does.
#include <windows.h>
#include <vss.h>

#include "all_std_headers.h"
#include "sal_client.h"

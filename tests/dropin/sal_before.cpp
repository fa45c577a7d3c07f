// Old SAL with the standard headers included before <windows.h>.
#include "all_std_headers.h"

#include <windows.h>
#include <vss.h>

#include "sal_client.h"
